import { useState, type ReactElement } from 'react';
import { copyText } from '../api/client.ts';
import { Icon } from '../components/Icon.tsx';
import { usePreview } from '../stores/preview.ts';
import { formatBytes } from '../stores/upload.ts';
import { counted } from '../words.ts';
import { BatchMessages } from './BatchMessages.tsx';
import { countOf } from './SummaryCard.tsx';
import { OutcomeNotice } from '../components/OutcomeNotice.tsx';

/**
 * The batches exactly as they will be sent: the list, the chosen one's messages under their rows with Copy JSON,
 * and saving them all as JSON Lines.
 */
export function BatchesCard(props: { checking: boolean; batchCount: number }): ReactElement {
  const { checking, batchCount } = props;
  const { batches, selected, batchBody, batchRows, saved, saving, selectBatch, saveBatches } = usePreview();
  // Copy JSON says whether it worked: a refused clipboard must not look like a copy.
  const [copied, setCopied] = useState<{ body: string; note: string } | null>(null);
  const copyNote = copied && copied.body === batchBody ? copied.note : null;
  const first = batchRows[0]?.rowNumber;
  const last = batchRows.at(-1)?.rowNumber;
  return (
    <section className="card preview-batches" aria-labelledby="batches-title">
      <div className="preview-batches__head">
        <h2 id="batches-title" className="section-title">
          Batches, exactly as they will be sent
        </h2>
        <button
          type="button"
          className="button"
          disabled={checking || saving || batchCount === 0}
          onClick={() => void saveBatches()}
        >
          <Icon name="download" /> {saving ? 'Saving the batches…' : 'Save all batches as JSON Lines'}
        </button>
      </div>
      {saved ? <OutcomeNotice outcome={saved} /> : null}
      <div className="preview-batches__body">
        <ol className="batch-list" aria-label="Batches">
          {batches.map((batch) => (
            <li key={batch.batch}>
              <button
                type="button"
                className={`list-button batch-list__item${selected === batch.batch ? ' list-button--current' : ''}`}
                aria-current={selected === batch.batch ? 'true' : undefined}
                onClick={() => void selectBatch(batch.batch)}
              >
                <strong>Batch {batch.batch + 1}</strong>
                <span className="muted">
                  {counted(batch.messages, 'message')} · {formatBytes(batch.bytes)}
                </span>
                <span className="muted batch-list__types">
                  {Object.entries(batch.types)
                    .map(([type, count]) => countOf(type, count))
                    .join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ol>
        <div className="batch-view">
          {batchBody ? (
            <>
              <div className="batch-view__head">
                <span className="muted">
                  Batch {(selected ?? 0) + 1}: rows {first}–{last}
                </span>
                <span className="batch-view__copy">
                  <span className="muted" role="status">
                    {copyNote}
                  </span>
                  <button
                    type="button"
                    className="button"
                    onClick={() => void copyText(batchBody).then((note) => setCopied({ body: batchBody, note }))}
                  >
                    Copy JSON
                  </button>
                </span>
              </div>
              <BatchMessages body={batchBody} rows={batchRows} />
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
