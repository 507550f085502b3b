import { ipcMain, type WebContents } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../app/contract.ts';
import type { Dispatch } from '../api/dispatch.ts';
import type { EventBus } from '../api/event-bus.ts';
import type { Logger } from '../log.ts';
import { isTrustedSender } from './trust.ts';

/**
 * The only place that touches `ipcMain`. Every call from a renderer is answered through the shared dispatcher,
 * and only when it comes from the top frame of one of the app's own windows showing the app's own pages.
 */
export function registerIpc(dispatch: Dispatch, log: Logger, isAppWindow: (contents: WebContents) => boolean): void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, args: unknown) => {
    const facts = {
      frameUrl: event.senderFrame?.url ?? null,
      isTopFrame: event.senderFrame?.parent === null,
      isAppWindow: isAppWindow(event.sender),
    };
    if (!isTrustedSender(facts)) {
      log.warn('refused a call from an untrusted frame', { url: facts.frameUrl ?? 'unknown' });
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This page is not allowed to use the app.' } };
    }
    return dispatch(name, args);
  });
}

/** Forwards main's events to one window for as long as it lives. */
export function forwardEvents(bus: EventBus, contents: WebContents): void {
  const unsubscribe = bus.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  contents.once('destroyed', unsubscribe);
}
