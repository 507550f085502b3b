import { CodedError } from '../../app/coded-error.ts';
import type { ContractError, ErrorCode } from '../../app/contract.ts';

/**
 * A failure a service expects and can explain: it reaches the renderer as a typed error with this code and
 * message. Anything else a handler throws is treated as a bug (`INTERNAL`), logged, and shown in generic words.
 */
export class ServiceError extends CodedError<ErrorCode> {
  override readonly name = 'ServiceError';

  toContractError(): ContractError {
    return { code: this.code, message: this.message };
  }
}
