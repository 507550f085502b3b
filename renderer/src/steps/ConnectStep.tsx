import { useEffect, useState, type ReactElement } from 'react';
import { WorkspaceCard } from '../connect/WorkspaceCard.tsx';
import { WorkspaceForm } from '../connect/WorkspaceForm.tsx';
import { Icon } from '../components/Icon.tsx';
import { useConnect } from '../stores/connect.ts';

/** Connect: the Vitally workspaces imports can go to, and which one they go to. */
export function ConnectStep(): ReactElement {
  const { status, workspaces, error, load, keychain } = useConnect();
  const [adding, setAdding] = useState(false);
  useEffect(() => void load(), [load]);

  return (
    <div className="connect-step">
      {error ? (
        <div className="notice notice--error" role="alert">
          <Icon name="alert" /> <span data-testid="connect-error">{error}</span>
        </div>
      ) : null}
      {status === 'ready' && workspaces.length === 0 ? (
        <>
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
        <button type="button" className="button" onClick={() => setAdding(true)}>
          Add another workspace
        </button>
      ) : null}
    </div>
  );
}
