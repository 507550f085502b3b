import { counted } from '../words.ts';
import { useState, type ReactElement } from 'react';
import {
  ENCODING_GROUPS,
  ENCODING_LABELS,
  type Delimiter,
  type Encoding,
  type FileSummary,
  type ReadResult,
} from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';
import { describeDetection } from './detection.ts';
import { formatBytes, useUpload } from '../stores/upload.ts';

const DELIMITER_LABELS: Record<Delimiter, string> = { ',': 'Comma', ';': 'Semicolon', '\t': 'Tab', '|': 'Pipe' };
const numbers = new Intl.NumberFormat();

/** What was read, and the three things the user can correct: header row, delimiter and encoding. */
export function FileFacts({ file, result }: { file: FileSummary; result: ReadResult }): ReactElement {
  const reread = useUpload((s) => s.reread);
  const chooseAnother = useUpload((s) => s.chooseAnother);
  const detected = (same: boolean) => (same ? ' (detected)' : '');

  return (
    <section className="card file-facts" aria-label="File summary">
      <div className="file-facts__head">
        <div className="file-facts__name">
          <Icon name="file" size={20} />
          <div>
            <h2 data-testid="file-name">{file.name}</h2>
            <p className="muted">
              {formatBytes(file.size)} · <span data-testid="row-count">{counted(result.rowCount, 'row')}</span> ·{' '}
              <span data-testid="column-count">{counted(result.columns.length, 'column')}</span>
            </p>
          </div>
        </div>
        <button type="button" className="button" onClick={chooseAnother}>
          Choose another file
        </button>
      </div>
      <div className="file-facts__controls">
        {result.sheets.length > 1 ? (
          <label className="field">
            <span>Sheet</span>
            <select
              value={result.sheet ?? ''}
              onChange={(event) => void reread({ sheet: event.target.value, headerRow: undefined })}
            >
              {result.sheets.map((sheet) => (
                <option key={sheet.name} value={sheet.name}>
                  {sheet.name}
                  {sheet.rows === null ? '' : ` (${numbers.format(sheet.rows)} ${sheet.rows === 1 ? 'row' : 'rows'})`}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <HeaderRowField
          key={result.headerRow}
          value={result.headerRow}
          detected={result.detected.headerRow}
          onCommit={(headerRow) => void reread({ headerRow })}
        />
        {result.format === 'delimited' ? (
          <>
            <label className="field">
              <span>Delimiter</span>
              <select
                value={result.delimiter}
                onChange={(event) => void reread({ delimiter: event.target.value as Delimiter })}
              >
                {Object.entries(DELIMITER_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                    {detected(value === result.detected.delimiter)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Encoding</span>
              <select
                value={result.encoding}
                onChange={(event) => void reread({ encoding: event.target.value as Encoding })}
              >
                {ENCODING_GROUPS.map((group) => (
                  <optgroup key={group.label} label={group.label}>
                    {group.encodings.map((value) => (
                      <option key={value} value={value}>
                        {ENCODING_LABELS[value]}
                        {detected(value === result.detected.encoding)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
              <small className="muted" data-testid="encoding-detection">
                {describeDetection(result)}
              </small>
            </label>
          </>
        ) : null}
      </div>
      {result.notes.length > 0 ? (
        <ul className="file-notes" aria-label="Notes about this file">
          {result.notes.map((note) => (
            <li key={note.kind}>
              <Icon name="alert" size={16} />
              <span>
                {note.message}{' '}
                {note.rows.length > 0 && note.kind !== 'unclosed-quote' && note.kind !== 'skipped-rows' ? (
                  <span className="muted">
                    {note.count > note.rows.length ? 'First rows' : note.rows.length === 1 ? 'Row' : 'Rows'}:{' '}
                    {note.rows.join(', ')}.
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The header row as a number field that re-reads when the user is done typing (Enter or leaving the field). */
function HeaderRowField(props: { value: number; detected: number; onCommit: (row: number) => void }): ReactElement {
  const [draft, setDraft] = useState(String(props.value));
  const commit = () => {
    const row = Number(draft);
    if (Number.isInteger(row) && row >= 1 && row <= 1000 && row !== props.value) props.onCommit(row);
    else setDraft(String(props.value));
  };
  return (
    <label className="field">
      <span>Header row</span>
      <input
        type="number"
        min={1}
        max={1000}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === 'Enter' && commit()}
      />
      <small className="muted">{props.value === props.detected ? 'Detected' : `Detected: row ${props.detected}`}</small>
    </label>
  );
}
