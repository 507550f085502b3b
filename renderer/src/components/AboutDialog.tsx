import { useEffect, useRef, type ReactElement } from 'react';
import { useApp } from '../stores/app.ts';
import { Icon } from './Icon.tsx';

/** Help › About: the version, where it runs, and where the user's data and logs are kept. */
export function AboutDialog(): ReactElement {
  const open = useApp((s) => s.aboutOpen);
  const info = useApp((s) => s.info);
  const setOpen = useApp((s) => s.setAboutOpen);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="about-title" onClose={() => setOpen(false)}>
      <header className="dialog__header">
        <img className="dialog__logo" src="./icon.svg" alt="" width={40} height={40} />
        <div>
          <h2 id="about-title">Vitally Importer</h2>
          <p className="muted">Version {info?.version ?? '…'}</p>
        </div>
        <button type="button" className="icon-button dialog__close" aria-label="Close" onClick={() => setOpen(false)}>
          <Icon name="close" />
        </button>
      </header>
      <p>
        Loads customer spreadsheets into Vitally through its Analytics API: map the columns, check every row, preview
        the exact batches, send them, and re-run what failed.
      </p>
      {info ? (
        <dl className="facts">
          <dt>Running as</dt>
          <dd>{info.host === 'electron' ? 'Desktop app' : 'Web app on this computer (127.0.0.1)'}</dd>
          <dt>Data folder</dt>
          <dd>
            <code data-testid="data-dir">{info.dataDir}</code>
          </dd>
          <dt>Logs folder</dt>
          <dd>
            <code>{info.logDir}</code>
          </dd>
          <dt>Runtime</dt>
          <dd>
            Node {info.runtime.node}
            {info.runtime.electron
              ? `, Electron ${info.runtime.electron}, Chromium ${info.runtime.chrome ?? ''}`
              : ''}{' '}
            on {info.platform}
          </dd>
        </dl>
      ) : null}
      <footer className="dialog__footer">
        <button type="button" className="button button--primary" onClick={() => setOpen(false)} autoFocus>
          Close
        </button>
      </footer>
    </dialog>
  );
}
