/**
 * Every worker thread of the app is started here and speaks through here: one table of the threads (which the
 * build also reads), one way to find a thread's file from source or from the bundle, one memory limit, and one
 * rule for the thread's share of the processor. `startThread` is the starting side's; `thisThread` the thread's.
 *
 * A background thread yields the processor to the process's main thread: on Linux each thread lowers its own
 * priority (niceness is per thread there), so the main process keeps answering the window at once even while
 * reading, checking and sending keep both cores busy. Elsewhere it runs at the process's priority.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, platform, setPriority } from 'node:os';
import {
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
  type ResourceLimits,
  type Transferable,
} from 'node:worker_threads';

/** The app's threads: name → source file. The bundle has `<name>.js` for each, beside the code that starts it. */
export const THREADS = {
  'read-worker': 'app/read/worker.ts',
  'write-worker': 'app/read/write-worker.ts',
  'preview-worker': 'app/preview/preview-worker.ts',
  'check-worker': 'app/preview/check-worker.ts',
  'export-worker': 'app/export/export-worker.ts',
  'send-worker': 'app/send/send-worker.ts',
  'suggest-worker': 'app/map/suggest-worker.ts',
} as const;

export type ThreadName = keyof typeof THREADS;

/**
 * How much a thread gives way to the main thread (0 for none, up to 19): enough that main's thread is served first
 * whenever it wakes; not more, because niceness also counts against every other process the OS schedules beside
 * the app (in the same session or cgroup): at 10 a read beside two busy processes took 8× as long, where a fair
 * share is 2×. Every worker gives way as far, a check made ahead too: the user may be waiting for it once it is
 * adopted, and a thread cannot take its priority back.
 */
export const PRIORITY = { background: 5 } as const;

/**
 * A smaller young generation than V8's default keeps the threads' memory flat (measured: about 100 MB less at a
 * million rows read) at no cost in speed. The old generation is left alone: a 50 MB cell needs room.
 */
const DEFAULT_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 32 };

/** Where a thread's code is: its source file when running from source, its bundle otherwise. */
export function threadUrl(name: ThreadName, from: string = import.meta.url): URL {
  return from.endsWith('.ts') ? new URL(`../../${THREADS[name]}`, from) : new URL(`./${name}.js`, from);
}

/** What the starting side tells a thread besides its own input. */
interface Envelope<Input> {
  input: Input;
  niceness: number;
}

/** Starts a thread with its input; it lowers its own priority by `niceness` (default: background). */
export function startThread<Input>(
  name: ThreadName,
  input: Input,
  options: { niceness?: number; limits?: ResourceLimits; transferList?: readonly Transferable[] } = {},
): Worker {
  const envelope: Envelope<Input> = { input, niceness: options.niceness ?? PRIORITY.background };
  return new Worker(threadUrl(name), {
    workerData: envelope,
    resourceLimits: { ...DEFAULT_LIMITS, ...options.limits },
    transferList: options.transferList ? [...options.transferList] : undefined,
  });
}

/** The thread's side: its input, a typed way to post to its starter, and whether it has been asked to stop. */
export interface ThisThread<Input, Message, Incoming> {
  input: Input;
  /** How far this thread gives way: the threads it starts give way as far. */
  niceness: number;
  post: (message: Message, transfer?: readonly Transferable[]) => void;
  /** Every message from the starter other than `cancel`, as it comes. */
  onMessage: (handler: (message: Incoming) => void) => void;
  /** Aborted when the starter posts `{ type: 'cancel' }` (seen between awaits). */
  signal: AbortSignal;
  /** For a loop that never awaits: reads the messages waiting and says whether `cancel` was among them. */
  cancelRequested: () => boolean;
  /** The next message from the starter other than `cancel` (a pull: "more"). */
  next: () => Promise<Incoming>;
  /** Lets the thread end: nothing keeps it alive once its work is done. */
  close: () => void;
}

/** To be called once, at the top of a thread's module. */
export function thisThread<Input, Message, Incoming = unknown>(): ThisThread<Input, Message, Incoming> {
  const envelope = workerData as Envelope<Input>;
  lowerPriority(envelope.niceness);
  const controller = new AbortController();
  const waiting: ((message: Incoming) => void)[] = [];
  const handlers: ((message: Incoming) => void)[] = [];
  // Messages read while nobody was waiting for one (a busy loop looking for `cancel`), kept for `next`.
  const kept: Incoming[] = [];
  const deliver = (message: unknown) => {
    if (isCancel(message)) return controller.abort();
    const next = waiting.shift();
    if (next) next(message as Incoming);
    else if (handlers.length > 0) for (const handler of handlers) handler(message as Incoming);
    else kept.push(message as Incoming);
  };
  // Listening keeps a thread alive until `close`, so it starts only when the thread asks for messages.
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    parentPort?.on('message', deliver);
  };
  return {
    input: envelope.input,
    niceness: envelope.niceness,
    post: (message, transfer) => parentPort?.postMessage(message, transfer ? [...transfer] : undefined),
    onMessage(handler) {
      handlers.push(handler);
      listen();
    },
    get signal() {
      listen();
      return controller.signal;
    },
    cancelRequested() {
      if (!parentPort) return false;
      for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) deliver(m.message);
      return controller.signal.aborted;
    },
    next() {
      listen();
      const message = kept.shift();
      return message !== undefined ? Promise.resolve(message) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => parentPort?.close(),
  };
}

function isCancel(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'cancel';
}

/**
 * Lowers this thread's priority by `niceness` below the process's main thread (Linux: per thread, through its id).
 * Counted from the main thread, not from this thread: a thread started by a thread inherits its starter's priority,
 * and would otherwise give way twice as far (19, about 1.5 % of a core beside any busy process).
 */
export function lowerPriority(niceness: number): void {
  if (niceness <= 0 || platform() !== 'linux') return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const target = Math.min(19, getPriority(process.pid) + niceness);
    // Never back up: without privilege a thread cannot raise its priority, and it asks for no more than it has.
    if (Number.isInteger(threadId) && threadId > 0 && target > getPriority(threadId)) setPriority(threadId, target);
  } catch {
    // Without /proc (a locked-down container), the thread keeps the process's priority: slower to yield, no worse.
  }
}
