/** Sending batches to Vitally: the public surface of `app/send`. */
export {
  Sender,
  retryAfterMs,
  type Batch,
  type Outcome,
  type SenderHooks,
  type SenderOptions,
  type SenderStatus,
} from './sender.ts';
export { startRun, type RunHandle } from './run.ts';
