import type { ReactElement } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';

/** Connect: the workspace and its token. */
export function ConnectStep(): ReactElement {
  return (
    <EmptyState icon="plug" title="No workspace connected yet">
      <p>To send to Vitally the app needs two things from your workspace:</p>
      <ul className="checklist">
        <li>
          <strong>Your subdomain</strong> — the part before <code>.vitally.io</code> in the address you log in at (for{' '}
          <code>https://acme.vitally.io</code>, it is <code>acme</code>).
        </li>
        <li>
          <strong>Your Analytics API token</strong> — in Vitally, open Settings › Integrations › Vitally API, choose
          “Integrate via HTTPS API” and copy the API key.
        </li>
      </ul>
      <p className="muted">
        The token is kept in your computer’s keychain, used only to send your imports, and never shown again.
      </p>
    </EmptyState>
  );
}
