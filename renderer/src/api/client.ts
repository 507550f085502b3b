import type {
  Bridge,
  CallArgs,
  CallName,
  CallResult,
  ContractError,
  ContractIssue,
  Envelope,
  ErrorCode,
  EventName,
  EventPayload,
} from '../../../app/contract.ts';
import { createHttpBridge } from './http-bridge.ts';

/** A call that main answered with a typed error. `message` is written for the user. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly ContractIssue[];

  constructor(error: ContractError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.issues = error.issues ?? [];
  }
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web host serves the contract instead. */
    readonly vitally?: Bridge;
  }
}

let bridge: Bridge | undefined;

/** The host's bridge: Electron's preload when present, the loopback web host otherwise. */
export function currentBridge(): Bridge {
  bridge ??= window.vitally ?? createHttpBridge();
  return bridge;
}

/** Calls main and resolves to the result, or rejects with an `ApiError` the UI can show as it is. */
export async function call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
  const invoke = currentBridge()[name] as unknown as (args: CallArgs<N>) => Promise<Envelope<CallResult<N>>>;
  const envelope = await invoke(args);
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

export function subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return currentBridge().subscribe(name, listener);
}

/** Copies text to the system clipboard through the host; resolves to what to tell the user. */
export async function copyText(text: string): Promise<string> {
  try {
    const answer = await currentBridge().copyText(text);
    return answer.ok ? 'Copied.' : answer.error.message;
  } catch (error) {
    return messageOf(error);
  }
}

/** A plain-words message for anything a call may throw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong inside the app. Try again; if it keeps happening, the details are in the log.';
}
