import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/Icon.tsx';
import { ColumnsEditor } from '../map/ColumnsEditor.tsx';
import { MappingProblems } from '../map/MappingProblems.tsx';
import { MessagesEditor } from '../map/MessagesEditor.tsx';
import { TemplatesBar } from '../map/TemplatesBar.tsx';
import { useMap } from '../stores/map.ts';
import { useUpload } from '../stores/upload.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/** Map: what each row becomes in Vitally, with a live sample of the messages the first rows make. */
export function MapStep(): ReactElement {
  const file = useUpload((s) => s.file);
  const { status, suggestions, sample, gaps, problems, error, load, update } = useMap();
  const columns = file?.result?.columns.map((column) => column.name) ?? [];
  // Column names read in the wrong encoding (`Umsatz (�)`) match no template and no name the user expects.
  const misreadNames = file?.result?.notes.find((note) => note.kind === 'misdecoded-header');
  // The columns as read now: another sheet, encoding, delimiter or header row loads the mapping and sample again.
  const columnsKey = columns.join('\u0000');

  useEffect(() => {
    if (file?.id) void load(file.id, columnsKey);
  }, [file?.id, columnsKey, load]);

  if (status === 'loading' || status === 'idle') return <p className="muted">Reading the columns…</p>;
  return (
    <div className="map-step">
      {error ? <ErrorNotice message={error} /> : null}
      {misreadNames ? (
        <div className="notice notice--warning" role="status" data-testid="misread-column-names">
          <Icon name="alert" /> <span>{misreadNames.message} The encoding is chosen in the Upload step.</span>
        </div>
      ) : null}
      {file?.id ? <TemplatesBar fileId={file.id} columns={columns} /> : null}
      <MappingProblems problems={problems} onFix={(mapping) => update(() => mapping)} />
      <MessagesEditor columns={columns} />
      {/* Scrollable, so it can take the focus and be scrolled with the keyboard. */}
      <aside className="card map-sample" aria-labelledby="sample-title" tabIndex={0}>
        <h2 id="sample-title">What the first rows become</h2>
        {gaps.length > 0 ? (
          <ul className="map-gaps" aria-label="Still needed">
            {gaps.map((gap) => (
              <li key={gap}>{gap}</li>
            ))}
          </ul>
        ) : null}
        {sample.map((row) => (
          <div key={row.rowNumber} className="map-sample__row">
            <h3>Row {row.rowNumber}</h3>
            {row.problems.map((problem) => (
              <p key={problem.message} className={`problem problem--${problem.severity}`}>
                {problem.message}
              </p>
            ))}
            {row.messages.map((message, index) => (
              <pre
                key={index}
                className="json"
                data-testid="sample-message"
                tabIndex={0}
                aria-label={`Row ${row.rowNumber}, message ${index + 1} of ${row.messages.length}`}
              >
                {JSON.stringify(JSON.parse(message), null, 2)}
              </pre>
            ))}
          </div>
        ))}
      </aside>
      <ColumnsEditor columns={columns} suggestions={suggestions} />
    </div>
  );
}
