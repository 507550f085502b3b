import type { ReactElement } from 'react';

/** What became of something the user asked for (a template saved, the batches saved), as a notice: done, or not. */
export function OutcomeNotice({ outcome }: { outcome: { tone: 'ok' | 'error'; text: string } }): ReactElement {
  return (
    <p className={`notice notice--${outcome.tone === 'ok' ? 'success' : 'error'}`} role="status">
      {outcome.text}
    </p>
  );
}
