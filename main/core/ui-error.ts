/** What a screen says of a failure: a coded error as it is, anything else as a plain apology. */
import { isCodedError } from '../../common/errors/coded-error.js';
import type { UiError } from '../../common/ipc/app-state.js';

export function uiError(error: unknown): UiError {
  if (isCodedError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: 'Something went wrong in the app.' };
}
