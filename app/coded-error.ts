/**
 * A failure the app expects and can explain: a code, for code to act on, and a message in plain words, for the
 * person using the app. The engine's read errors and the services' errors are such failures.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}
