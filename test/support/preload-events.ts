import { expect } from 'vitest';

/** A handler the preload registered on ipcRenderer for main's events. */
export type EventHandler = (event: unknown, ...args: unknown[]) => void;

/**
 * Checks the preload's bridge (`bridge`, as exposed to the page) against main's events, sent through the handlers
 * it registered: a subscriber hears the contract's events until it unsubscribes, never another event, and
 * subscribing to an event the contract does not have throws.
 */
export function checkEventsReachSubscribers(bridge: unknown, eventHandlers: readonly EventHandler[]): void {
  const events = bridge as { subscribe(name: string, listener: (payload: unknown) => void): () => void };
  const heard: unknown[] = [];
  const stop = events.subscribe('menuCommand', (payload) => heard.push(payload));
  const emit = (name: string, payload: unknown) => eventHandlers.forEach((handler) => handler({}, name, payload));
  emit('menuCommand', 'show-history');
  emit('notAnEvent', 'x');
  stop();
  emit('menuCommand', 'show-about');
  expect(heard).toEqual(['show-history']);
  expect(() => events.subscribe('notAnEvent', () => undefined)).toThrow();
}
