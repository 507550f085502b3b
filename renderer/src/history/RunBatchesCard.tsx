/** An opened import's batches: each request exactly as it went to Vitally, and Vitally's answer. */
import { useEffect, type ReactElement } from 'react';
import { Pager } from '../components/Pager.tsx';
import { useRunView } from '../stores/history-run.ts';
import { batchLabel, pretty, timeFormat } from './run-words.ts';

export function BatchesCard(): ReactElement {
  const { batches, batchTotal, batchOffset, selectedBatch, batchBody, batchResponse, loadBatches, selectBatch } =
    useRunView();
  useEffect(() => void loadBatches(0), [loadBatches]);
  return (
    <section className="card" aria-labelledby="batches-title">
      <h2 id="batches-title" className="section-title">
        Batches sent
      </h2>
      <p className="muted">Each request exactly as it went to Vitally, and what Vitally answered.</p>
      <div className="run-batches">
        <div className="run-batches__scroll">
          <table className="data-table run-batches__list">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Rows</th>
                <th scope="col" className="numeric">
                  Messages
                </th>
                <th scope="col">Outcome</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr
                  key={batch.id}
                  className={batch.id === selectedBatch ? 'is-selected' : ''}
                  onClick={() => void selectBatch(batch.id)}
                >
                  <td>
                    <button type="button" className="link-button" onClick={() => void selectBatch(batch.id)}>
                      {batchLabel(batch.id)}
                    </button>
                  </td>
                  <td>{batch.firstRow === batch.lastRow ? batch.firstRow : `${batch.firstRow}–${batch.lastRow}`}</td>
                  <td className="numeric">{batch.messages}</td>
                  <td>
                    {batch.state === 'accepted'
                      ? `${batch.status} Accepted`
                      : batch.state === 'rejected'
                        ? `${batch.status} Refused`
                        : batch.state === 'delivered'
                          ? 'Already accepted'
                          : batch.state === 'planned'
                            ? 'Not sent'
                            : 'Unconfirmed'}
                  </td>
                  <td>
                    {batch.sentAt ? timeFormat.format(new Date(batch.sentAt)) : '—'}
                    {batch.sends > 1 ? <small className="muted"> ×{batch.sends}</small> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="run-batches__body">
          {selectedBatch === null ? (
            <p className="muted">Choose a batch to see its JSON and Vitally’s answer.</p>
          ) : (
            <>
              <h3>Batch {batchLabel(selectedBatch)}: what was sent</h3>
              <pre className="json" data-testid="run-batch-json">
                {batchBody ? pretty(batchBody) : 'Loading…'}
              </pre>
              <h3>Vitally’s answer</h3>
              <p data-testid="run-batch-response">{batchResponse ?? '…'}</p>
            </>
          )}
        </div>
      </div>
      {batchTotal > batches.length ? (
        <Pager
          offset={batchOffset}
          shown={batches.length}
          total={batchTotal}
          pageSize={50}
          onPage={(to) => void loadBatches(to)}
        />
      ) : null}
    </section>
  );
}
