import { useEffect, useId, useState, type FormEvent, type ReactElement } from 'react';
import type { ResolvedAddress, Workspace } from '../../../app/contract.ts';
import { call } from '../api/client.ts';
import { TOKEN_HELP } from './token-help.ts';
import { useConnect } from '../stores/connect.ts';

/**
 * Adds a workspace, or changes one (its name, address, or token). A saved token is only sent to the address it
 * was saved for, so changing the address asks for the token again. When the keychain cannot keep the token
 * (none, one that forgets at restart, locked, or refusing), it says why and offers this session only.
 */
export function WorkspaceForm(props: { workspace?: Workspace; onDone?: () => void }): ReactElement {
  const { workspace } = props;
  const save = useConnect((s) => s.save);
  const keychain = useConnect((s) => s.keychain);
  const [name, setName] = useState(workspace?.name ?? '');
  const [address, setAddress] = useState(workspace?.address ?? '');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [sessionChosen, setSessionChosen] = useState(false);
  /** Only while the keychain has a problem: the choice is not on screen otherwise. */
  const sessionOnly = sessionChosen && keychain.problem !== null;
  const [saving, setSaving] = useState(false);
  const resolved = useResolvedAddress(address);
  const id = useId();
  const addressChanged = workspace !== undefined && address.trim() !== workspace.address.trim();
  const needsToken = !workspace?.token.saved || addressChanged;
  const canSave =
    name.trim() !== '' &&
    address.trim() !== '' &&
    (!needsToken || token.trim() !== '') &&
    (keychain.available || sessionOnly || token.trim() === '');
  const tokenLabel = !workspace?.token.saved
    ? 'Analytics API token'
    : addressChanged
      ? 'Analytics API token (needed again: the address changed)'
      : 'New Analytics API token (leave empty to keep the saved one)';

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
            onChange={(e) => {
              setAddress(e.target.value);
              // The last save's complaint was about the address as it was.
              if (useConnect.getState().error !== null) useConnect.setState({ error: null });
            }}
            placeholder="acme"
            autoComplete="off"
            spellCheck={false}
            required
          />
          <small className="muted">
            The part before <code>.vitally.io</code> when you log in, or paste that whole address. Another API address
            (such as an EU data centre) works too.
          </small>
          <AddressMeaning resolved={resolved} />
        </label>
        <label className="field field--wide">
          <span>{tokenLabel}</span>
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
          <small className="muted">
            {addressChanged && workspace?.token.saved
              ? 'The saved token is only sent to the address it was saved for. Paste it again to use it at the new address. '
              : null}
            {TOKEN_HELP}
          </small>
        </label>
      </div>
      {keychain.problem !== null ? (
        <div className="notice notice--warning" role="note" data-testid="keychain-notice">
          <span>{keychain.message}</span>
          <label className="checkbox">
            <input type="checkbox" checked={sessionOnly} onChange={(e) => setSessionChosen(e.target.checked)} /> Keep
            the token for this session only
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

/** Where the address as typed would send, asked of main a moment after typing stops. */
function useResolvedAddress(address: string): ResolvedAddress | null {
  const [resolved, setResolved] = useState<{ address: string; result: ResolvedAddress } | null>(null);
  useEffect(() => {
    if (address.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      call('resolveAddress', { address })
        .then((result) => {
          if (current) setResolved({ address, result });
        })
        .catch(() => undefined); // Saving says what is wrong with the address; this is only a preview.
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [address]);
  return address.trim() !== '' && resolved?.address === address ? resolved.result : null;
}

function AddressMeaning({ resolved }: { resolved: ResolvedAddress | null }): ReactElement {
  return (
    <small className="address-meaning" aria-live="polite" data-testid="address-meaning">
      {resolved === null ? null : resolved.ok ? (
        <>
          Imports go to <code>{resolved.baseUrl}</code>.{resolved.note ? ` ${resolved.note}` : null}
        </>
      ) : (
        <span className="address-meaning--problem">{resolved.message}</span>
      )}
    </small>
  );
}
