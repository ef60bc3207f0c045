/**
 * An error with a stable, machine-readable `code` and a message a person can act on.
 * Every layer (server, main, IPC) carries these across its boundary as `{ code, message }`.
 */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Code, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: Code; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isCodedError(value: unknown): value is CodedError {
  return value instanceof CodedError;
}
