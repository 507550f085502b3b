/**
 * The preload: exposes exactly the contract (one function per call, plus `prepareFile`, `saveBatches`,
 * `copyText` and `subscribe`) on `window.vitally`, and nothing else. Runs sandboxed; it may only require
 * `electron`. It imports the contract's names, never its schemas: main validates every call, and zod would make
 * this file, loaded by every page, ten times its size.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_GLOBAL,
  CALL_NAME_LIST,
  IPC_CALL_CHANNEL,
  IPC_CLIPBOARD_CHANNEL,
  IPC_EVENT_CHANNEL,
  isEventNameInList as isEventName,
  type ListedEventName as EventName,
} from '../../app/contract-names.ts';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const bridge: Record<string, unknown> = {
  // The desktop app reads a chosen or dropped file where it is; nothing is copied.
  prepareFile(file: unknown) {
    const path = file instanceof File ? webUtils.getPathForFile(file) : '';
    return Promise.resolve(
      path
        ? { ok: true, value: { kind: 'path', path } }
        : {
            ok: false,
            error: { code: 'NOT_FOUND', message: 'That file cannot be opened from here. Choose it again.' },
          },
    );
  },
  // The desktop app asks main, which shows the Save dialog and writes the file.
  saveBatches(fileId: unknown) {
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, 'exportBatches', { fileId });
  },
  // The desktop app writes the clipboard from main: the page itself is granted no permission at all.
  copyText(text: unknown) {
    return ipcRenderer.invoke(IPC_CLIPBOARD_CHANNEL, text);
  },
  subscribe(name: unknown, listener: unknown): () => void {
    if (!isEventName(name) || typeof listener !== 'function') throw new TypeError('Unknown event or listener.');
    const set = listeners.get(name) ?? new Set<Listener>();
    listeners.set(name, set);
    const wrapped: Listener = (payload) => (listener as Listener)(payload);
    set.add(wrapped);
    return () => set.delete(wrapped);
  },
};
for (const name of CALL_NAME_LIST) {
  bridge[name] = (args: unknown) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, args);
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, Object.freeze(bridge));
