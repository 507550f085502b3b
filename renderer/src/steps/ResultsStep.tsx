import type { ReactElement } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';
import { RunView } from '../history/RunView.tsx';
import { useSend } from '../stores/send.ts';

/**
 * Results: the import just sent, opened — per message type what Vitally accepted and refused, the refused rows with
 * their cells and reasons in plain words, their export, and the ways to fix and re-run them.
 */
export function ResultsStep(): ReactElement {
  const runId = useSend((s) => s.runId);
  if (!runId)
    return (
      <EmptyState icon="chart" title="Nothing sent yet">
        Send an import to see its results here. Past imports are in History.
      </EmptyState>
    );
  return (
    <div className="results-step">
      <RunView runId={runId} />
    </div>
  );
}
