/**
 * An agent's upload before it is stored or sent (issue 13): checked by its bytes (the check the
 * desktop client runs too), then scanned by clamd. Infected: `attachment_infected`, audited and
 * counted as the attachments rule's `refused`, nothing stored. No clean scan (no scanner, or it
 * could not scan) while `attachments.refuseFilesWithoutCleanScan` is on: `attachment_unscanned`.
 * An archive nobody can open passes only when `allowUninspectableArchivesWhenClean` is on and the
 * scan is clean.
 */
import type { CheckedAttachment } from '../../common/attachments/attachment-check.js';
import { checkAttachment } from '../../common/attachments/attachment-check.js';
import { AttachmentRefused } from '../../common/attachments/attachment-refusal.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { FileScan, FileScanner } from '../scanning/file-scanner.js';
import type { SafetyActionEntry } from '../safety/safety-actions.js';

export interface UploadScanDeps {
  readonly scanner: FileScanner;
  readonly policy: () => Promise<SafetyPolicy>;
  readonly record: (entry: SafetyActionEntry) => Promise<void>;
}

export type UploadScan = Exclude<FileScan, { state: 'infected' }>;

export async function scanUpload(
  deps: UploadScanDeps,
  input: { kind: string; mimeType: string; filename: string; bytes: Uint8Array },
  who: { agentId: number | null; deviceId: number | null },
): Promise<{ checked: CheckedAttachment; scan: UploadScan }> {
  const policy = await deps.policy();
  const refused = async (error: AttachmentRefused): Promise<never> => {
    await deps.record({ rule: 'attachments', action: 'refused', agentId: who.agentId, deviceId: who.deviceId });
    throw error;
  };
  let checked: CheckedAttachment;
  try {
    checked = await checkAttachment(input, { allowUninspectableArchives: policy.attachments.allowUninspectableArchivesWhenClean });
  } catch (error) {
    if (error instanceof AttachmentRefused) return refused(error);
    throw error;
  }
  const scan = await deps.scanner.scan(input.bytes);
  if (scan.state === 'infected') {
    return refused(
      new AttachmentRefused(
        'attachment_infected',
        'The virus scanner found this file infected: it was not sent. Check the computer it came from, and send the document another way once it is clean.',
      ),
    );
  }
  if (scan.state === 'unscanned' && checked.uninspected.length > 0) {
    return refused(
      new AttachmentRefused(
        'attachment_archive_uninspectable',
        'This archive cannot be opened to check what is inside, and no virus scan passed it. If it is needed, it must be sent another way.',
        { scanner: scan.reason },
      ),
    );
  }
  if (scan.state === 'unscanned' && policy.attachments.refuseFilesWithoutCleanScan) {
    return refused(
      new AttachmentRefused(
        'attachment_unscanned',
        'No virus scanner could check this file, and the safety policy sends only files with a clean scan. Try again once the scanner answers, or ask an admin.',
        { scanner: scan.reason },
      ),
    );
  }
  return { checked, scan };
}
