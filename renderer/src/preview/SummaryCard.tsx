import type { ReactElement } from 'react';
import { TYPE_WORDS, type PreviewSummary } from '../../../app/contract.ts';
import { Stat } from '../components/Stat.tsx';
import { formatBytes } from '../stores/upload.ts';
import { counted } from '../words.ts';

const numbers = new Intl.NumberFormat();

/** “1 account”, “3 users”, “2 events”: a count of messages of a type, in the type's words. */
export function countOf(type: string, count: number): string {
  return Object.hasOwn(TYPE_WORDS, type)
    ? counted(count, TYPE_WORDS[type as keyof typeof TYPE_WORDS])
    : counted(count, type, type);
}

/** What the check found: rows, those ready to send, with errors or warnings, left out, the messages and batches. */
export function SummaryCard(props: { summary: PreviewSummary; checking: boolean; percent: number }): ReactElement {
  const { summary, checking, percent } = props;
  return (
    <section className="card preview-summary" aria-label="Summary">
      {checking ? (
        <p className="preview-summary__checking" role="status">
          <span className="spinner" aria-hidden="true" /> Checking every row again after your change… {percent}%
        </p>
      ) : null}
      <dl className="stats">
        <Stat label="Rows" testId="rows" value={numbers.format(summary.rows)} />
        <Stat label="Ready to send" testId="sendable-rows" value={numbers.format(summary.sendableRows)} />
        <Stat
          label="With errors (not sent)"
          testId="error-rows"
          value={numbers.format(summary.errorRows)}
          error={summary.errorRows > 0}
        />
        <Stat label="With warnings" value={numbers.format(summary.warningRows)} />
        <Stat label="Left out by you" testId="excluded-rows" value={numbers.format(summary.excludedRows)}>
          {summary.editedCells > 0 ? (
            <small className="muted" data-testid="edited-cells">
              {summary.editedCells === 1 ? '1 cell' : `${numbers.format(summary.editedCells)} cells`} edited
            </small>
          ) : null}
        </Stat>
        <Stat label="Messages" testId="messages" value={numbers.format(summary.messages)}>
          <small className="muted">
            {Object.entries(summary.messagesByType)
              .map(([type, count]) => countOf(type, count))
              .join(' · ')}
          </small>
          {summary.repeatsSkipped > 0 ? (
            <small className="muted" data-testid="repeats">
              {summary.repeatsSkipped === 1 ? '1 repeat' : `${numbers.format(summary.repeatsSkipped)} repeats`} of the
              same record left out
            </small>
          ) : null}
        </Stat>
        <Stat label="Batches" testId="batches" value={numbers.format(summary.batches)}>
          <small className="muted">{formatBytes(summary.bytes)} in all</small>
        </Stat>
      </dl>
    </section>
  );
}
