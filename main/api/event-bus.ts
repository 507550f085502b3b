import { events, type EventName, type EventPayload } from '../../app/contract.ts';

/** Receives every event; `payload` has already passed the event's schema. */
export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * Fan-out of main's events to every connected view: Electron windows and web-host clients subscribe here.
 * Payloads are checked against the contract before they leave, so a bug in main cannot push a malformed event.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Listen to one event by name, typed; returns the function that stops listening. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((emitted, payload) => {
      if (emitted === name) listener(payload as EventPayload<E>);
    });
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) listener(name, checked);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
