/** The approval page's refusals, each with a stable code and the HTTP status its page is sent with. */
import { CodedError } from '../../common/errors/coded-error.js';

export const PAGE_ERROR_STATUS = {
  invalid_form: 400,
  login_failed: 401,
  session_required: 401,
  origin_refused: 403,
  csrf_invalid: 403,
  pairing_code_invalid: 404,
  login_locked: 423,
  rate_limited: 429,
  login_throttled: 429,
  internal_error: 500,
  login_busy: 503,
} as const;

export type PageErrorCode = keyof typeof PAGE_ERROR_STATUS;

/** The form fields a person fills in or a page sends back; an invalid one is named to them. */
export type FormField = 'code' | 'username' | 'password' | 'otp' | 'decision' | 'csrf' | 'form';

export class ApprovalPageError extends CodedError<PageErrorCode> {
  readonly field: FormField | undefined;
  /** For a refusal that passes with time (throttled, busy): when to try again. */
  readonly retryAfterMs: number | undefined;

  constructor(code: PageErrorCode, message: string, field?: FormField, retryAfterMs?: number) {
    super(code, message);
    this.name = 'ApprovalPageError';
    this.field = field;
    this.retryAfterMs = retryAfterMs;
  }
}
