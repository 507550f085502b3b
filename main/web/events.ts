import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../api/event-bus.ts';
import { sendText } from './respond.ts';

const HEARTBEAT_MS = 20_000;

/** `GET /api/events`: every event of main's bus, as server-sent events, to every page that listens. */
export class EventStreams {
  readonly #streams = new Set<ServerResponse>();
  readonly #unsubscribe: () => void;

  constructor(bus: EventBus) {
    this.#unsubscribe = bus.subscribe((name, payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const stream of this.#streams) stream.write(frame);
    });
  }

  /** Keeps the answer open as an event stream until the page goes, with a comment now and then to keep it alive. */
  open(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return sendText(res, 405, 'Events are read with GET.');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.#streams.add(res);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      this.#streams.delete(res);
    });
  }

  /** Stops listening to the bus and ends every stream. */
  close(): void {
    this.#unsubscribe();
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }
}
