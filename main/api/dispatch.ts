import type { z } from 'zod';
import {
  calls,
  isCallName,
  type CallName,
  type CallResult,
  type ContractIssue,
  type Envelope,
  type ValidCallArgs,
} from '../../app/contract.ts';
import type { Logger } from '../log.ts';
import { ServiceError } from './errors.ts';

/** One handler per call of the contract, receiving arguments that already passed the call's schema. */
export type Handlers = {
  [N in CallName]: (args: ValidCallArgs<N>) => Promise<CallResult<N>> | CallResult<N>;
};

/** Runs one call by name on untrusted input and always resolves to an envelope; it never throws. */
export type Dispatch = (name: unknown, args: unknown) => Promise<Envelope<unknown>>;

/**
 * The validation boundary of the main process. Both hosts (Electron IPC and the loopback web host) route every
 * call through the function this returns: the name must be in the contract, the argument must pass the call's
 * schema, and the handler's result must pass the result schema before it is sent back.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (name, rawArgs) => {
    if (!isCallName(name)) {
      return failure('UNKNOWN_CALL', `The app asked for an action it does not know (${describe(name)}).`);
    }
    const spec = calls[name];
    const parsed = spec.args.safeParse(rawArgs === undefined ? {} : rawArgs);
    if (!parsed.success) {
      const issues = toIssues(parsed.error);
      log.warn('call rejected by validation', { call: name, issues });
      return {
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: `The app sent "${name}" a value it cannot use: ${issues.map(formatIssue).join('; ')}.`,
          issues,
        },
      };
    }
    try {
      const handler = handlers[name] as (args: unknown) => unknown;
      const value: unknown = await handler(parsed.data);
      const checked = spec.result.safeParse(value);
      if (!checked.success) {
        log.error('handler returned a value outside the contract', { call: name, issues: toIssues(checked.error) });
        return failure('INTERNAL', 'Something went wrong inside the app. The details are in the log.');
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof ServiceError) return { ok: false, error: error.toContractError() };
      log.error('call failed', { call: name, error });
      return failure('INTERNAL', 'Something went wrong inside the app. The details are in the log.');
    }
  };
}

function failure(code: 'UNKNOWN_CALL' | 'INTERNAL', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function toIssues(error: z.ZodError): ContractIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function formatIssue(issue: ContractIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  return typeof value;
}
