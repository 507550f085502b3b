import { afterEach, beforeEach, vi } from 'vitest';
import type { Bridge, Envelope } from '../../app/contract.ts';

type Listener = (payload: unknown) => void;

/**
 * Puts a stand-in bridge on `window` for a store under test: each call answers from `answers` by name (and
 * records its arguments in `calls`); the returned function emits an event to the store's listeners.
 */
export function installBridge(
  answers: Record<string, (args: unknown) => Envelope<unknown>>,
  calls: { name: string; args: unknown }[] = [],
): (event: string, payload: unknown) => void {
  const listeners = new Map<string, Set<Listener>>();
  const bridge = new Proxy(
    {},
    {
      get: (_target, name: string) =>
        name === 'subscribe'
          ? (event: string, listener: Listener) => {
              const set = listeners.get(event) ?? new Set<Listener>();
              listeners.set(event, set);
              set.add(listener);
              return () => set.delete(listener);
            }
          : (args: unknown) => {
              calls.push({ name, args });
              return Promise.resolve(
                answers[name]?.(args) ?? { ok: false, error: { code: 'INTERNAL', message: name } },
              );
            },
    },
  ) as Bridge;
  vi.stubGlobal('window', { vitally: bridge });
  return (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
}

/** For a store's suite: each test imports the store afresh, and leaves no stand-in bridge on `window` behind. */
export function freshStoreEachTest(): void {
  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllGlobals());
}

/** A call's answer that succeeded with `value`, as the bridge gives it. */
export const answer = (value: unknown) => ({ ok: true as const, value });
