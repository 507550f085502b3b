import { useEffect, type ReactElement } from 'react';
import { subscribe } from './api/client.ts';
import { AboutDialog } from './components/AboutDialog.tsx';
import { Header } from './components/Header.tsx';
import { Icon } from './components/Icon.tsx';
import { InterruptedBanner } from './components/InterruptedBanner.tsx';
import { StepNav } from './components/StepNav.tsx';
import { HistoryView } from './history/HistoryView.tsx';
import { RerunBanner } from './history/RerunNotes.tsx';
import { useSend } from './stores/send.ts';
import { useApp } from './stores/app.ts';
import { useConnect } from './stores/connect.ts';
import { useUpload } from './stores/upload.ts';
import { useWizard } from './stores/wizard.ts';
import { StepPage } from './steps/StepPage.tsx';
import { useTheme } from './useTheme.ts';
import { ErrorNotice } from './components/ErrorNotice.tsx';

/** The window: header, the steps down the side, and the open step or History. */
export function App(): ReactElement {
  const status = useApp((s) => s.status);
  const loadError = useApp((s) => s.loadError);
  const notice = useApp((s) => s.notice);
  const load = useApp((s) => s.load);
  const dismissNotice = useApp((s) => s.dismissNotice);
  const announcement = useApp((s) => s.announcement);
  const dismissAnnouncement = useApp((s) => s.dismissAnnouncement);
  const view = useWizard((s) => s.view);
  useTheme();

  // After a reload during a send, the page comes back to that send's live progress.
  useEffect(
    () =>
      void load()
        .then(() => useConnect.getState().load())
        .then(() => useSend.getState().restore()),
    [load],
  );
  useEffect(
    () =>
      subscribe('menuCommand', (command) => {
        const wizard = useWizard.getState();
        if (command === 'show-history') wizard.showHistory();
        else useApp.getState().setAboutOpen(true);
      }),
    [],
  );
  useEffect(
    () =>
      subscribe('fileLoadStarted', (started) => {
        useWizard.getState().goTo('upload');
        useUpload.getState().follow(started.taskId, started.name);
      }),
    [],
  );

  return (
    <div className="app" data-app-state={status === 'ready' ? 'loaded' : status}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <div className="app__body">
        <StepNav />
        <main id="main" className="app__main">
          {status === 'ready' ? <InterruptedBanner /> : null}
          {status === 'ready' ? <RerunBanner /> : null}
          {notice ? (
            <ErrorNotice message={notice}>
              <DismissButton onDismiss={dismissNotice} />
            </ErrorNotice>
          ) : null}
          {announcement ? (
            <div className="notice notice--success" role="status" data-testid="announcement">
              <Icon name="info" /> <span>{announcement}</span>
              <DismissButton onDismiss={dismissAnnouncement} />
            </div>
          ) : null}
          {status === 'failed' ? (
            <ErrorNotice message={<>The app could not start: {loadError}</>}>
              <button type="button" className="button" onClick={() => void load()}>
                Try again
              </button>
            </ErrorNotice>
          ) : null}
          {view.kind === 'history' ? <HistoryView /> : <StepPage step={view.step} />}
        </main>
      </div>
      <AboutDialog />
    </div>
  );
}

/** The × that puts a notice away. */
function DismissButton({ onDismiss }: { onDismiss: () => void }): ReactElement {
  return (
    <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
      <Icon name="close" size={16} />
    </button>
  );
}
