/**
 * The desktop shell's decisions about its own life (start, close, quit), as pure functions of the platform and
 * what the user answered, tested under Node with the values Electron passes. Nothing here imports `electron`.
 */

/** The app's id, as `electron-builder.yml`'s `appId`: Windows ties toasts and the taskbar to it. */
export const APP_ID = 'io.vitally-importer.app';

/** Windows shows an app's notifications only under its AppUserModelID (`app.setAppUserModelId`, Windows only). */
export function needsAppUserModelId(platform: NodeJS.Platform): boolean {
  return platform === 'win32';
}

/**
 * Whether closing the app's one window quits it: on Windows and Linux it does (`window-all-closed` → quit); on
 * macOS the app stays in the dock and a send goes on, so closing the window needs no question there.
 */
export function closingWindowQuits(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin';
}

/** The question asked before quitting during a send; answer 0 keeps sending (also Esc and closing the box). */
export const QUIT_QUESTION = {
  type: 'question' as const,
  buttons: ['Keep sending', 'Quit'],
  defaultId: 0,
  cancelId: 0,
  message: 'An import is still being sent.',
  detail: 'If you quit now, it stops where it is and can be resumed from History the next time you open the app.',
};

/** Whether the answer to `QUIT_QUESTION` lets the app quit. */
export function answerQuits(answer: number): boolean {
  return answer === 1;
}
