import { useState, type ReactElement } from 'react';
import type { Workspace } from '../../../app/contract.ts';
import { Icon } from '../components/Icon.tsx';
import { useApp } from '../stores/app.ts';
import { useConnect } from '../stores/connect.ts';
import { WorkspaceForm } from './WorkspaceForm.tsx';

/** One saved workspace: where it sends, its token's state, and what can be done with it. */
export function WorkspaceCard({ workspace }: { workspace: Workspace }): ReactElement {
  const selected = useApp((s) => s.settings?.workspaceId === workspace.id);
  const result = useConnect((s) => s.tests[workspace.id]);
  const { test, forgetToken, remove, select } = useConnect();
  const [editing, setEditing] = useState(false);
  const { token } = workspace;

  if (editing) return <WorkspaceForm workspace={workspace} onDone={() => setEditing(false)} />;
  return (
    <article
      className={`card workspace${selected ? ' workspace--selected' : ''}`}
      aria-label={workspace.name}
      data-testid="workspace"
    >
      <div className="workspace__head">
        <label className="workspace__choose">
          <input type="radio" name="workspace" checked={selected} onChange={() => void select(workspace.id)} />
          <span>
            <strong>{workspace.name}</strong>
            <span className={`muted ${workspace.practice ? 'workspace__note' : 'workspace__url'}`}>
              {workspace.practice
                ? 'A stand-in for Vitally on this computer: what you send here never reaches Vitally. It refuses one sample row on purpose.'
                : workspace.baseUrl}
            </span>
          </span>
        </label>
        <span className={`token-state token-state--${token.saved ? 'saved' : 'missing'}`} data-testid="token-state">
          <Icon name="key" size={15} />
          {workspace.practice
            ? 'Practice: no token needed'
            : token.saved
              ? `Token saved ${token.storage === 'session' ? 'for this session' : 'in the keychain'}, ends in …${token.lastFour ?? ''}`
              : 'No token'}
        </span>
      </div>
      {result ? (
        <p
          className={`test-result test-result--${result === 'running' ? 'running' : result.outcome}`}
          role="status"
          data-testid="test-result"
        >
          {result === 'running'
            ? 'Testing the connection…'
            : workspace.practice && result.outcome === 'not-refused'
              ? // The practice workspace is the app's own stand-in: Vitally never answered.
                'The practice workspace on this computer answered and did not refuse its token. Nothing reaches Vitally.'
              : result.message}
        </p>
      ) : null}
      <div className="workspace__actions">
        <button
          type="button"
          className="button"
          disabled={!token.saved || result === 'running'}
          onClick={() => void test(workspace.id)}
        >
          Test connection
        </button>
        {workspace.practice ? null : (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            {token.saved ? 'Edit address or token' : 'Add a token'}
          </button>
        )}
        {token.saved && !workspace.practice ? (
          <button type="button" className="button" onClick={() => void forgetToken(workspace.id)}>
            Forget token
          </button>
        ) : null}
        <button type="button" className="button button--danger" onClick={() => void remove(workspace.id)}>
          Remove
        </button>
      </div>
    </article>
  );
}
