import { clipboard, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CALL_CHANNEL, IPC_CLIPBOARD_CHANNEL, IPC_EVENT_CHANNEL } from '../../app/contract-names.ts';
import type { Envelope } from '../../app/contract.ts';
import type { Dispatch } from '../api/dispatch.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { clipboardTextProblem, isTrustedSender } from './trust.ts';

const COPY_FAILED = 'The system clipboard did not take the text. Try once more.';
const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: 'This page is not allowed to use the app.' } };

/**
 * The only place that touches `ipcMain`. Every call from a renderer is answered through the shared dispatcher,
 * and only when it comes from the top frame of one of the app's own windows showing the app's own pages. The
 * clipboard channel (Copy JSON) is held to the same check: the page itself may ask for no permission.
 */
export function registerIpc(dispatch: Dispatch, log: Logger, isAppWindow: (contents: WebContents) => boolean): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const facts = {
      frameUrl: event.senderFrame?.url ?? null,
      isTopFrame: event.senderFrame?.parent === null,
      isAppWindow: isAppWindow(event.sender),
    };
    if (isTrustedSender(facts)) return true;
    log.warn('refused a call from an untrusted frame', { url: facts.frameUrl ?? 'unknown' });
    return false;
  };
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, args: unknown) =>
    trusted(event) ? dispatch(name, args) : FORBIDDEN,
  );
  ipcMain.handle(
    IPC_CLIPBOARD_CHANNEL,
    async (event, text: unknown): Promise<Envelope<{ copied: true }> | typeof FORBIDDEN> => {
      if (!trusted(event)) return FORBIDDEN;
      const problem = clipboardTextProblem(text);
      if (problem) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: problem } };
      try {
        await clipboard.writeText(text as string);
      } catch (error) {
        log.warn('the clipboard refused the text', { error });
        return { ok: false, error: { code: 'UNAVAILABLE', message: COPY_FAILED } };
      }
      return { ok: true, value: { copied: true } };
    },
  );
}

/** Forwards main's events to one window for as long as it lives. */
export function forwardEvents(bus: EventBus, contents: WebContents): void {
  const unsubscribe = bus.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  contents.once('destroyed', unsubscribe);
}
