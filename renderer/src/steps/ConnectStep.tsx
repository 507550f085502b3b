import { useEffect, useState, type ReactElement } from 'react';
import { WorkspaceCard } from '../connect/WorkspaceCard.tsx';
import { WorkspaceForm } from '../connect/WorkspaceForm.tsx';
import { useConnect } from '../stores/connect.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/** Connect: the Vitally workspaces imports can go to, and which one they go to. */
export function ConnectStep(): ReactElement {
  const { status, workspaces, error, load, keychain, startPractice } = useConnect();
  const hasPractice = workspaces.some((w) => w.practice === true);
  const [adding, setAdding] = useState(false);
  useEffect(() => void load(), [load]);

  return (
    <div className="connect-step">
      {error ? <ErrorNotice message={error} testId="connect-error" /> : null}
      {status === 'ready' && workspaces.length === 0 ? (
        <>
          <Welcome onPractice={() => void startPractice()} />
          <p className="lead">
            Add the Vitally workspace to import into.{' '}
            {keychain.problem === null
              ? 'The token is kept in your computer’s keychain, used only to send your imports, and never shown again.'
              : 'The token is used only to send your imports and never shown again.'}
          </p>
          <WorkspaceForm />
        </>
      ) : null}
      {workspaces.length > 0 ? (
        <div role="radiogroup" aria-label="Workspace to import into" className="workspaces">
          {workspaces.map((workspace) => (
            <WorkspaceCard key={workspace.id} workspace={workspace} />
          ))}
        </div>
      ) : null}
      {workspaces.length > 0 && adding ? <WorkspaceForm onDone={() => setAdding(false)} /> : null}
      {workspaces.length > 0 && !adding ? (
        <div className="welcome__actions">
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add another workspace
          </button>
          {hasPractice ? null : (
            <button type="button" className="button" onClick={() => void startPractice()}>
              Try it without Vitally
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}

/** The first screen of a first run: what the app does, in its steps, and a way to try it with nothing at stake. */
function Welcome(props: { onPractice: () => void }): ReactElement {
  return (
    <section className="card welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome to Vitally Importer</h2>
      <p>It sends a spreadsheet of accounts, users, organizations or events to Vitally, row by row, in five steps:</p>
      <ol className="welcome__steps">
        <li>Connect your workspace</li>
        <li>Upload the spreadsheet</li>
        <li>Map its columns</li>
        <li>Preview the exact batches</li>
        <li>Send, then read the results and re-run what failed</li>
      </ol>
      <p>Nothing is sent before you choose to send, and every row that Vitally refuses is listed with its reason.</p>
      <div className="welcome__actions">
        <button type="button" className="button button--primary" onClick={props.onPractice}>
          Try it without Vitally
        </button>
        <span className="muted">
          A practice workspace on this computer and a sample spreadsheet: a whole import in a minute, and nothing
          reaches Vitally.
        </span>
      </div>
    </section>
  );
}
