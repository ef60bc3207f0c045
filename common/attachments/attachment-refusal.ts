/**
 * Why a file is refused, in either direction: one stable code per reason, which the server's
 * client API answers with and the renderer words (renderer/i18n/*.json).
 */
import { CodedError } from '../errors/coded-error.js';

export type AttachmentRefusalCode =
  | 'attachment_type_not_allowed'
  | 'attachment_is_program'
  | 'attachment_is_disk_image'
  | 'attachment_is_shortcut'
  | 'attachment_has_macros'
  | 'attachment_archive_contains_program'
  | 'attachment_archive_uninspectable'
  | 'attachment_archive_too_large'
  | 'attachment_content_mismatch'
  | 'attachment_too_large'
  /** An upload clamd found infected (server only: the desktop client has no scanner). */
  | 'attachment_infected'
  /** An upload no scanner passed, while the policy refuses files without a clean scan. */
  | 'attachment_unscanned';

/** A file that cannot be sent or opened; nothing was stored. */
export class AttachmentRefused extends CodedError<AttachmentRefusalCode> {
  constructor(code: AttachmentRefusalCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'AttachmentRefused';
  }
}
