import { useEffect, type ReactElement } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';
import { useSend } from '../stores/send.ts';

const numbers = new Intl.NumberFormat();

/** Results: what Vitally accepted and what it refused, by spreadsheet row, with its reason. */
export function ResultsStep(): ReactElement {
  const { progress, rejected, loadRejected } = useSend();
  useEffect(() => void loadRejected(), [loadRejected]);
  if (!progress)
    return (
      <EmptyState icon="chart" title="Nothing sent yet">
        Send an import to see its results here.
      </EmptyState>
    );
  return (
    <div className="results-step">
      <section className="card" aria-label="Outcome">
        <dl className="stats">
          <div>
            <dt>Accepted by Vitally</dt>
            <dd data-testid="result-accepted">{numbers.format(progress.accepted)}</dd>
          </div>
          <div className={progress.rejected > 0 ? 'stat--error' : ''}>
            <dt>Rejected</dt>
            <dd data-testid="result-rejected">{numbers.format(progress.rejected)}</dd>
          </div>
          <div>
            <dt>Not sent</dt>
            <dd>{numbers.format(progress.pending)}</dd>
          </div>
        </dl>
        <p className="muted">Vitally takes from a few seconds to a few minutes to show what it accepted.</p>
      </section>
      {rejected.length > 0 ? (
        <section className="card" aria-labelledby="rejected-title">
          <h2 id="rejected-title" className="section-title">
            What Vitally refused
          </h2>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Message</th>
                <th scope="col">Vitally’s reason</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((row, index) => (
                <tr key={`${row.rowNumber}-${index}`}>
                  <td>{row.rowNumber}</td>
                  <td>{row.type}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
