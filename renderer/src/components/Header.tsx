import type { ReactElement } from 'react';
import { useApp } from '../stores/app.ts';
import { useConnect } from '../stores/connect.ts';
import { Icon } from './Icon.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';

/** The bar across the top: the app, the connected workspace, the theme, and About. */
export function Header(): ReactElement {
  const setAboutOpen = useApp((s) => s.setAboutOpen);
  const workspaceId = useApp((s) => s.settings?.workspaceId ?? null);
  const workspace = useConnect((s) => s.workspaces.find((w) => w.id === workspaceId));
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <img src="./icon.svg" alt="" width={26} height={26} />
        <span className="app-header__name">Vitally Importer</span>
      </div>
      <div className="app-header__workspace" aria-live="polite" data-testid="header-workspace">
        <span className={`status-dot status-dot--${workspace?.token.saved ? 'on' : 'off'}`} aria-hidden="true" />
        {workspace ? workspace.name : 'No workspace connected'}
      </div>
      <div className="app-header__tools">
        <ThemeSwitch />
        <button
          type="button"
          className="icon-button"
          aria-label="About Vitally Importer"
          onClick={() => setAboutOpen(true)}
        >
          <Icon name="info" />
        </button>
      </div>
    </header>
  );
}
