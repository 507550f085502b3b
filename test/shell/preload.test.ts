/**
 * The built preload (`out/preload/preload.cjs`) as Electron runs it in a sandboxed window: one CommonJS script in
 * a fresh context whose `require` knows only `electron` (and Electron's few sandbox built-ins), with no Node. It
 * must expose exactly the contract on `window.vitally`, and stay small: it is loaded by every page, and needs no
 * schemas (main validates every call).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  BRIDGE_GLOBAL,
  BRIDGE_KEYS,
  CALL_NAME_LIST,
  IPC_CALL_CHANNEL,
  IPC_CLIPBOARD_CHANNEL,
  IPC_EVENT_CHANNEL,
} from '../../app/contract-names.ts';
import { checkEventsReachSubscribers } from '../support/preload-events.ts';
import { PROJECT_DIR } from './harness.ts';

const PRELOAD = join(PROJECT_DIR, 'out', 'preload', 'preload.cjs');
/** The preload's size budget: the bridge is a few kilobytes; zod alone would be over 200. */
const BUDGET_BYTES = 60 * 1024;
/** What a sandboxed preload may require besides `electron` (Electron's sandbox polyfills). */
const SANDBOX_MODULES = new Set(['events', 'timers', 'url']);

type Invoke = [channel: string, ...args: unknown[]];

function runPreload() {
  const required: string[] = [];
  const invoked: Invoke[] = [];
  const exposed = new Map<string, unknown>();
  const eventHandlers: ((event: unknown, ...args: unknown[]) => void)[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: (...args: Invoke) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
      on: (channel: string, handler: (event: unknown, ...args: unknown[]) => void) => {
        if (channel === IPC_EVENT_CHANNEL) eventHandlers.push(handler);
      },
    },
    webUtils: { getPathForFile: () => '/home/ana/accounts.csv' },
  };
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name} (a sandboxed preload can require only electron)`);
  };
  // Electron's sandboxed preload: a limited `process`, no `__dirname`, no Node built-ins.
  const context = createContext({
    console,
    setTimeout,
    clearTimeout,
    File: class File {},
    process: { platform: process.platform, type: 'renderer', sandboxed: true, versions: {}, env: {} },
  });
  const source = readFileSync(PRELOAD, 'utf8');
  const wrapped = new Script(`(function (exports, require, module) {${source}\n})`, { filename: PRELOAD });
  const module = { exports: {} };
  (wrapped.runInContext(context) as (e: unknown, r: unknown, m: unknown) => void)(
    module.exports,
    sandboxRequire,
    module,
  );
  return { required, invoked, exposed, eventHandlers, source };
}

describe('the built preload, sandboxed', () => {
  it('is small: no zod, no Papa Parse, only the bridge', () => {
    const { size } = statSync(PRELOAD);
    expect(size, `the preload is ${size} bytes`).toBeLessThan(BUDGET_BYTES);
    const source = readFileSync(PRELOAD, 'utf8');
    expect(source).not.toMatch(/ZodError|\$ZodType|papaparse|Papa\.parse/);
  });

  it('requires only electron', () => {
    const { required } = runPreload();
    expect(required.filter((name) => name !== 'electron' && !SANDBOX_MODULES.has(name))).toEqual([]);
    expect(required).toContain('electron');
  });

  it('exposes exactly the contract on window.vitally, frozen', () => {
    const { exposed } = runPreload();
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    const bridge = exposed.get(BRIDGE_GLOBAL) as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const key of BRIDGE_KEYS) expect(typeof bridge[key], key).toBe('function');
  });

  it('sends every call to main by name on the call channel, and copies on the clipboard channel', async () => {
    const { exposed, invoked } = runPreload();
    const bridge = exposed.get(BRIDGE_GLOBAL) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of CALL_NAME_LIST) await bridge[name]?.({ probe: name });
    expect(invoked).toEqual(CALL_NAME_LIST.map((name) => [IPC_CALL_CHANNEL, name, { probe: name }]));
    await bridge.saveBatches?.('8d3c9c52-2b8e-4f5e-9d51-3c1f0f7a6b10');
    expect(invoked.at(-1)).toEqual([
      IPC_CALL_CHANNEL,
      'exportBatches',
      { fileId: '8d3c9c52-2b8e-4f5e-9d51-3c1f0f7a6b10' },
    ]);
    await bridge.copyText?.('[{"type":"user"}]');
    expect(invoked.at(-1)).toEqual([IPC_CLIPBOARD_CHANNEL, '[{"type":"user"}]']);
  });

  it('delivers main’s events to subscribers, and only the contract’s events', () => {
    const { exposed, eventHandlers } = runPreload();
    checkEventsReachSubscribers(exposed.get(BRIDGE_GLOBAL), eventHandlers);
  });
});
