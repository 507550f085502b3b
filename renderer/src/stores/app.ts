import { create } from 'zustand';
import type { AppInfo, Settings, ThemePreference } from '../../../app/contract.ts';
import { call, messageOf, subscribe } from '../api/client.ts';

interface AppState {
  status: 'loading' | 'ready' | 'failed';
  /** Why loading failed, in plain words. */
  loadError: string | null;
  info: AppInfo | null;
  settings: Settings | null;
  /** A message about the last action that failed, shown until dismissed. */
  notice: string | null;
  /** Something the user should know that is not a failure, shown until dismissed. */
  announcement: string | null;
  aboutOpen: boolean;
  load: () => Promise<void>;
  setTheme: (theme: ThemePreference) => Promise<void>;
  setAboutOpen: (open: boolean) => void;
  dismissNotice: () => void;
  dismissAnnouncement: () => void;
}

let unsubscribe: (() => void) | null = null;
const combine =
  (...stops: (() => void)[]) =>
  () => {
    for (const stop of stops) stop();
  };

/** What the whole app needs from main: who it is, and the user's preferences (kept in sync with main). */
export const useApp = create<AppState>()((set, get) => ({
  status: 'loading',
  loadError: null,
  info: null,
  settings: null,
  notice: null,
  announcement: null,
  aboutOpen: false,
  async load() {
    set({ status: 'loading', loadError: null });
    unsubscribe ??= combine(
      subscribe('settingsChanged', (settings) => set({ settings })),
      subscribe('secondStart', () =>
        set({
          announcement:
            'Vitally Importer was started again on this computer. It was already running here, so nothing else was ' +
            'opened: carry on in this window.',
        }),
      ),
    );
    try {
      const [info, settings] = await Promise.all([call('getAppInfo', {}), call('getSettings', {})]);
      set({ status: 'ready', info, settings, ...(info.startupNotice ? { notice: info.startupNotice } : {}) });
    } catch (error) {
      set({ status: 'failed', loadError: messageOf(error) });
    }
  },
  async setTheme(theme) {
    // Show the choice at once; main's answer confirms it, or the old theme comes back with a message.
    const before = get().settings;
    if (before) set({ settings: { ...before, theme } });
    try {
      set({ settings: await call('updateSettings', { theme }) });
    } catch (error) {
      set({ settings: before, notice: `The theme could not be saved. ${messageOf(error)}` });
    }
  },
  setAboutOpen(aboutOpen) {
    set({ aboutOpen });
  },
  dismissNotice() {
    set({ notice: null });
  },
  dismissAnnouncement() {
    set({ announcement: null });
  },
}));
