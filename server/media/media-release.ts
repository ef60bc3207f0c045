/**
 * Whether a stored file may leave the server for a client (a download) or go out again (a
 * forwarded customer's file), by what the byte check and the scanner made of it (media-scans.ts)
 * and the safety policy: an infected file never does (`media_infected`, quarantined), nor one its
 * bytes refused (its `attachment_*` code), nor one still `scanning` (`media_scanning`, try again
 * shortly); an `unscanned` one only while `attachments.refuseFilesWithoutCleanScan` is off.
 */
import type { AttachmentRefusalCode } from '../../common/attachments/attachment-refusal.js';
import { AttachmentRefused } from '../../common/attachments/attachment-refusal.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { MediaRow } from '../store/schema.js';

export function refuseUnreleasable(row: Pick<MediaRow, 'scan_state' | 'scan_reason'>, policy: SafetyPolicy): void {
  switch (row.scan_state) {
    case 'clean':
      return;
    case 'infected':
      throw new CodedError(
        'media_infected',
        'The virus scanner found this file infected: it is kept apart on the server and cannot be opened. Ask the customer to send it another way.',
      );
    case 'refused':
      throw new AttachmentRefused(
        (row.scan_reason ?? 'attachment_archive_uninspectable') as AttachmentRefusalCode,
        'This file was refused by its contents: it cannot be opened. If it is needed, it must come another way.',
      );
    case 'scanning':
      throw new CodedError('media_scanning', 'This file is still being checked for viruses: try again shortly.');
    case 'unscanned':
    case null:
      if (policy.attachments.refuseFilesWithoutCleanScan) {
        throw new CodedError('media_unscanned', 'No virus scanner has passed this file, and the safety policy keeps unscanned files closed.');
      }
  }
}
