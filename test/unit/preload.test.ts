import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEYS, CALL_NAME_LIST, EVENT_NAME_LIST } from '../../app/contract-names.ts';
import {
  CALL_NAMES,
  EVENT_NAMES,
  IPC_CALL_CHANNEL,
  IPC_CLIPBOARD_CHANNEL,
  IPC_EVENT_CHANNEL,
} from '../../app/contract.ts';
import { checkEventsReachSubscribers } from '../support/preload-events.ts';

// The preload's only dependency, replaced so the test runs under plain Node (importing the real package would
// try to download the Electron binary).
const exposed = new Map<string, unknown>();
const eventHandlers: ((event: unknown, ...args: unknown[]) => void)[] = [];
const invoke = vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true, value: null }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  webUtils: { getPathForFile: () => '/home/ana/accounts.csv' },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, handler: (event: unknown, ...args: unknown[]) => void) => {
      if (channel === IPC_EVENT_CHANNEL) eventHandlers.push(handler);
    },
  },
}));

type ExposedBridge = Record<string, (...args: unknown[]) => unknown>;

describe('the preload', () => {
  beforeEach(async () => {
    exposed.clear();
    eventHandlers.length = 0;
    vi.resetModules();
    await import('../../main/preload/index.ts');
  });

  it('knows the contract by names that match its schemas one for one', () => {
    expect([...CALL_NAME_LIST].sort()).toEqual([...CALL_NAMES].sort());
    expect([...EVENT_NAME_LIST].sort()).toEqual([...EVENT_NAMES].sort());
    expect(BRIDGE_KEYS).toEqual([...CALL_NAMES, 'prepareFile', 'saveBatches', 'copyText', 'subscribe']);
  });

  it('exposes exactly the contract: one function per call, prepareFile, saveBatches, copyText and subscribe', () => {
    expect([...exposed.keys()]).toEqual(['vitally']);
    const bridge = exposed.get('vitally') as ExposedBridge;
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('copies through main, on the clipboard channel', async () => {
    const bridge = exposed.get('vitally') as ExposedBridge;
    await bridge.copyText?.('[{"type":"user"}]');
    expect(invoke).toHaveBeenLastCalledWith(IPC_CLIPBOARD_CHANNEL, '[{"type":"user"}]');
  });

  it('sends each call to main on the one call channel, by name', async () => {
    const bridge = exposed.get('vitally') as ExposedBridge;
    await bridge.updateSettings?.({ theme: 'dark' });
    expect(invoke).toHaveBeenLastCalledWith(IPC_CALL_CHANNEL, 'updateSettings', { theme: 'dark' });
  });

  it('delivers events to subscribers until they unsubscribe, and ignores unknown ones', () => {
    const bridge = exposed.get('vitally') as ExposedBridge;
    checkEventsReachSubscribers(bridge, eventHandlers);
    // Loaded in this test's own realm, the refusal is seen to be a TypeError.
    expect(() => bridge.subscribe?.('notAnEvent', () => undefined)).toThrow(TypeError);
  });
});
