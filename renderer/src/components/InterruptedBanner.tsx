import { useEffect, useState, type ReactElement } from 'react';
import type { RunSummary } from '../../../app/contract.ts';
import { call } from '../api/client.ts';
import { resumeAndShow, showSending, useSend } from '../stores/send.ts';
import { Icon } from './Icon.tsx';

const numbers = new Intl.NumberFormat();

/**
 * On launch: an import being sent right now (the page was reloaded, or this is another tab) is offered to follow;
 * one the app was closed in the middle of is offered for resuming, with the same messageIds.
 */
export function InterruptedBanner(): ReactElement | null {
  const [run, setRun] = useState<RunSummary | null>(null);
  const following = useSend((s) => s.runId);

  useEffect(() => {
    call('listRuns', { limit: 20 })
      .then((runs) => setRun(runs.find((r) => r.live) ?? runs.find((r) => r.state === 'interrupted') ?? null))
      .catch(() => setRun(null));
  }, []);

  if (!run || run.id === following) return null;
  /** Taking the offer (following the import, or resuming it) puts the banner away. */
  const take = (go: (runId: string) => void) => {
    go(run.id);
    setRun(null);
  };
  if (run.live) {
    return (
      <div className="notice notice--success interrupted" role="status" data-testid="live-run-banner">
        <Icon name="send" />
        <span>
          The import of <strong>{run.fileName}</strong> to {run.workspaceName} is{' '}
          {run.state === 'paused' ? 'paused' : 'being sent'}: {numbers.format(run.accepted)}{' '}
          {run.accepted === 1 ? 'message' : 'messages'} accepted so far.
        </span>
        <button type="button" className="button button--primary" onClick={() => take(showSending)}>
          Show it
        </button>
      </div>
    );
  }
  return (
    <div className="notice notice--warning interrupted" role="status" data-testid="interrupted-banner">
      <Icon name="alert" />
      <span>
        The import of <strong>{run.fileName}</strong> to {run.workspaceName} stopped when the app closed, after{' '}
        {numbers.format(run.accepted)} {run.accepted === 1 ? 'message was' : 'messages were'} accepted. Nothing is lost:
        resuming sends the rest.
      </span>
      <button type="button" className="button button--primary" onClick={() => take(resumeAndShow)}>
        Resume
      </button>
      <button type="button" className="button" onClick={() => setRun(null)}>
        Later
      </button>
    </div>
  );
}
