import { CodedError } from '../../common/errors/coded-error.js';

export type SendErrorCode =
  | 'invalid_request'
  | 'conversation_not_found'
  | 'conversation_on_other_number'
  | 'conversation_assigned_elsewhere'
  | 'conversation_resolved'
  | 'template_required'
  | 'idempotency_key_reused'
  | 'message_not_found'
  | 'media_not_found'
  | 'recipient_unknown'
  | 'customer_blocked'
  | 'channel_needs_reauthorization';

/** A send refused before anything reached Meta; nothing was stored or queued. */
export class SendError extends CodedError<SendErrorCode> {
  constructor(code: SendErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'SendError';
  }
}
