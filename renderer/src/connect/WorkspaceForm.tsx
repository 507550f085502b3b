import { useId, useState, type FormEvent, type ReactElement } from 'react';
import type { Workspace } from '../../../app/contract.ts';
import { TOKEN_HELP } from './token-help.ts';
import { useConnect } from '../stores/connect.ts';

/** Adds a workspace, or changes one (its name, address, or token). */
export function WorkspaceForm(props: { workspace?: Workspace; onDone?: () => void }): ReactElement {
  const { workspace } = props;
  const save = useConnect((s) => s.save);
  const keychainAvailable = useConnect((s) => s.keychainAvailable);
  const [name, setName] = useState(workspace?.name ?? '');
  const [address, setAddress] = useState(workspace?.address ?? '');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [sessionOnly, setSessionOnly] = useState(false);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const needsToken = !workspace?.token.saved;
  const canSave =
    name.trim() !== '' &&
    address.trim() !== '' &&
    (!needsToken || token.trim() !== '') &&
    (keychainAvailable || sessionOnly || token.trim() === '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const saved = await save({ ...(workspace ? { id: workspace.id } : {}), name, address, token, sessionOnly });
    setSaving(false);
    if (saved) {
      setToken('');
      props.onDone?.();
    }
  };

  return (
    <form
      className="card workspace-form"
      onSubmit={(event) => void submit(event)}
      aria-label={workspace ? `Edit ${workspace.name}` : 'Add a workspace'}
    >
      <div className="workspace-form__fields">
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Acme production"
            autoComplete="off"
            required
          />
          <small className="muted">For you: how this workspace is listed in the app.</small>
        </label>
        <label className="field">
          <span>Vitally subdomain or address</span>
          <input
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="acme"
            autoComplete="off"
            spellCheck={false}
            required
          />
          <small className="muted">
            The part before <code>.vitally.io</code> when you log in, or paste that whole address. Another API address
            (such as an EU data centre) works too.
          </small>
        </label>
        <label className="field field--wide">
          <span>
            {workspace?.token.saved
              ? 'New Analytics API token (leave empty to keep the saved one)'
              : 'Analytics API token'}
          </span>
          <span className="token-input">
            <input
              id={`${id}-token`}
              type={showToken ? 'text' : 'password'}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              required={needsToken}
            />
            <button
              type="button"
              className="button"
              aria-controls={`${id}-token`}
              onClick={() => setShowToken(!showToken)}
            >
              {showToken ? 'Hide' : 'Show'}
            </button>
          </span>
          <small className="muted">{TOKEN_HELP}</small>
        </label>
      </div>
      {!keychainAvailable ? (
        <div className="notice notice--warning" role="note">
          <span>
            This computer has no keychain the app can use, so the token cannot be saved. It can be kept in memory until
            the app closes; you will be asked for it again next time.
          </span>
          <label className="checkbox">
            <input type="checkbox" checked={sessionOnly} onChange={(e) => setSessionOnly(e.target.checked)} /> Keep for
            this session only
          </label>
        </div>
      ) : null}
      <div className="workspace-form__actions">
        {props.onDone ? (
          <button type="button" className="button" onClick={props.onDone}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={!canSave || saving}>
          {saving ? 'Saving…' : workspace ? 'Save changes' : 'Save and test'}
        </button>
      </div>
    </form>
  );
}
