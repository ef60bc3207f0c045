/**
 * The safety rule for every file, in both directions (issue 13, "Attachments"): what the file
 * holds (file-inspection.ts) and whether it is what it claims to be (claimed-type.ts). A finding
 * becomes a refusal with a stable code; a file inside an archive is named in the details.
 */
import { extensionOf } from './attachment-formats.js';
import { AttachmentRefused } from './attachment-refusal.js';
import { claimMatchesBytes } from './claimed-type.js';
import type { DetectedType, InspectionLimits, InspectionPolicy, Uninspected } from './file-inspection.js';
import { DEFAULT_INSPECTION_LIMITS, InspectionFinding, inspectFile } from './file-inspection.js';
import { baseMimeType } from './media-limits.js';

export interface FileSafetyPolicy {
  /**
   * RAR, 7z, encrypted ZIP and other archives this code cannot open: refused when false (the
   * default); when true they pass here and the caller must not release them without a clean scan.
   */
  readonly allowUninspectableArchives: boolean;
  readonly limits?: Partial<InspectionLimits>;
}

export const DEFAULT_FILE_SAFETY_POLICY: FileSafetyPolicy = { allowUninspectableArchives: false };

export interface SafeFile {
  readonly detected: DetectedType | undefined;
  /** Archives let through unopened by the policy; not empty means a clean scan is required. */
  readonly uninspected: readonly Uninspected[];
}

const SAY_ANOTHER_WAY = 'If it is needed, it must come another way (a link to a shared folder, or a PDF of the document).';

const MESSAGES = {
  program: 'This file is a program, script or installer, whatever its name says',
  disk_image: 'This file is a disk image (ISO, DMG, VHD, …)',
  shortcut: 'This file is a shortcut (.lnk, .url, …) that opens something else',
  macros: 'This document contains macros',
} as const;

const CODES = {
  program: 'attachment_is_program',
  disk_image: 'attachment_is_disk_image',
  shortcut: 'attachment_is_shortcut',
  macros: 'attachment_has_macros',
} as const;

/** The refusal a finding makes: the file's own kind at the top, "contains" inside an archive. */
export function refusalOf(finding: InspectionFinding): AttachmentRefused {
  const entry = finding.path.join(' › ');
  const where = entry === '' ? {} : { entry };
  switch (finding.kind) {
    case 'uninspectable':
      return new AttachmentRefused(
        'attachment_archive_uninspectable',
        `This archive cannot be opened to check what is inside (${String(finding.detail.format)}${finding.detail.why === 'encrypted' ? ', encrypted' : ''}). ${SAY_ANOTHER_WAY}`,
        { ...where, ...finding.detail },
      );
    case 'too_large':
      return new AttachmentRefused(
        'attachment_archive_too_large',
        `This archive unpacks to too much (too many files, too many archives inside each other, or too many bytes) to be checked. ${SAY_ANOTHER_WAY}`,
        { ...where, ...finding.detail },
      );
    default:
      if (entry === '' || (finding.kind === 'macros' && finding.path.length === 0)) {
        return new AttachmentRefused(CODES[finding.kind], `${MESSAGES[finding.kind]}: it cannot be sent or opened. ${SAY_ANOTHER_WAY}`, { ...finding.detail });
      }
      return new AttachmentRefused(
        'attachment_archive_contains_program',
        `This archive or document holds “${entry}”: ${MESSAGES[finding.kind].replace(/^This file is|^This document contains/, 'it is, or contains,')}. It cannot be sent or opened. ${SAY_ANOTHER_WAY}`,
        { entry, found: CODES[finding.kind] },
      );
  }
}

export function inspectionPolicyOf(policy: FileSafetyPolicy): InspectionPolicy {
  return { allowUninspectable: policy.allowUninspectableArchives, limits: { ...DEFAULT_INSPECTION_LIMITS, ...policy.limits } };
}

/** Inspects the bytes; throws `AttachmentRefused` for what they hold. */
export async function inspectForSafety(bytes: Uint8Array, filename: string | null | undefined, policy: FileSafetyPolicy): Promise<SafeFile> {
  try {
    return await inspectFile(bytes, filename, inspectionPolicyOf(policy));
  } catch (error) {
    if (error instanceof InspectionFinding) throw refusalOf(error);
    throw error;
  }
}

/**
 * Any file, either direction: refused (`AttachmentRefused`) when it is or holds something
 * dangerous, when it is an archive that cannot be opened (unless the policy allows it), or when
 * the type its name or MIME type claims is not what its bytes are.
 */
export async function checkFileSafety(
  file: { readonly filename?: string | null; readonly mimeType?: string | null; readonly bytes: Uint8Array },
  policy: FileSafetyPolicy = DEFAULT_FILE_SAFETY_POLICY,
): Promise<SafeFile> {
  const safe = await inspectForSafety(file.bytes, file.filename, policy);
  const claim = { extension: extensionOf(file.filename ?? ''), mimeType: baseMimeType(file.mimeType ?? '') };
  const detected = safe.detected;
  if (!claimMatchesBytes(claim, file.bytes, detected)) {
    throw new AttachmentRefused(
      'attachment_content_mismatch',
      `This file's contents are not what its ${claim.extension === '' ? 'type' : `name (${claim.extension})`} says${detected === undefined ? '' : ` (they are ${detected.mimeType})`}.`,
      { claimedExtension: claim.extension, claimedMimeType: claim.mimeType, detectedMimeType: detected?.mimeType ?? null },
    );
  }
  return safe;
}
