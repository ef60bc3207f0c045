/**
 * What a stored file is allowed to be (issue 13): every customer's file, once downloaded, is
 * judged by its bytes (common/attachments/file-safety.ts) and then scanned by clamd, and its
 * media row records the outcome: `clean`, `infected` (quarantined: it stays on the server and no
 * client is given its bytes), `refused` (the byte check's attachment_* code), `unscanned` (no
 * scanner, or it could not scan: a scanner_* code). A file found infected, at first or at a
 * rescan, is audited and counted as the attachments rule's `quarantined` (one refused by its bytes: `refused`). The signature clamd named
 * is logged and kept in the row for the server's operators; no client API or event carries it.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AttachmentRefused } from '../../common/attachments/attachment-refusal.js';
import { checkFileSafety } from '../../common/attachments/file-safety.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { FileScan } from '../scanning/file-scanner.js';
import type { FileScanner } from '../scanning/file-scanner.js';
import { appendSafetyAudit } from '../safety/safety-actions.js';
import type { SafetyActionEntry } from '../safety/safety-actions.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase, MediaRow, MediaScanState } from '../store/schema.js';
import type { MediaStore } from './media-store.js';

export interface MediaScansDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly store: MediaStore;
  readonly scanner: FileScanner;
  readonly policy: () => Promise<SafetyPolicy>;
  /** Counts a safety act whose audit row committed with the verdict (SafetyActions.counted). */
  readonly counted: (entry: Pick<SafetyActionEntry, 'rule' | 'action'>) => void;
  readonly log: Logger;
  readonly now: () => number;
}

type Verdict = { state: MediaScanState; reason: string | null; signature: string | null };

export class MediaScans {
  readonly #deps: MediaScansDeps;

  constructor(deps: MediaScansDeps) {
    this.#deps = deps;
  }

  get scanner(): FileScanner {
    return this.#deps.scanner;
  }

  /**
   * Judges a file that is `scanning` (just downloaded, or cut short by a restart), which it then
   * records `stored` with the verdict, or, for
   * a rescan, one that was `clean` or `unscanned`. A rescan of a clean file changes its state only
   * when clamd now finds it infected: a scanner that does not answer leaves it clean.
   */
  async judge(mediaId: number, purpose: 'first' | 'rescan' = 'first'): Promise<MediaScanState | undefined> {
    const row = await this.#deps.db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
    // Just downloaded (`scanning`, not yet stored), or stored already (a rescan).
    if (row === undefined || row.sha256 === null || (row.state !== 'stored' && row.scan_state !== 'scanning')) return undefined;
    const verdict = await this.#verdictOf(row);
    const now = this.#deps.now();
    const keepsClean = purpose === 'rescan' && row.scan_state === 'clean' && verdict.state !== 'infected';
    const next: Verdict = keepsClean ? { state: 'clean', reason: null, signature: null } : verdict;
    // Set apart (infected) or refused by its bytes: a safety act, audited and counted once.
    const action = next.state === row.scan_state ? undefined : next.state === 'infected' ? 'quarantined' : next.state === 'refused' ? 'refused' : undefined;
    if (next.state === 'infected') this.#deps.log.warn({ mediaId, signature: next.signature, purpose }, 'a file is infected: quarantined on the server');
    const carriers =
      action !== undefined ? await this.#deps.db.selectFrom('messages').select(['id', 'conversation_id']).where('media_id', '=', mediaId).execute() : [];
    await this.#deps.committer.submit(async (trx) => {
      await trx
        .updateTable('media')
        .set({
          state: 'stored',
          scan_state: next.state,
          scan_reason: next.reason,
          scan_signature: next.signature,
          scanned_at: now,
          rescan_due: 0,
          updated_at: now,
        })
        .where('id', '=', mediaId)
        .execute();
      if (action === undefined) return;
      const carrier = carriers[0];
      await appendSafetyAudit(
        trx,
        { rule: 'attachments', action, mediaId, messageId: carrier?.id ?? null, conversationId: carrier?.conversation_id ?? null, agentId: null },
        now,
      );
    });
    if (action !== undefined) this.#deps.counted({ rule: 'attachments', action });
    return next.state;
  }

  async #verdictOf(row: MediaRow): Promise<Verdict> {
    const bytes = await this.#deps.store.read(row.sha256 ?? '');
    const policy = await this.#deps.policy();
    let uninspected: number;
    try {
      const safe = await checkFileSafety(
        { filename: row.filename, mimeType: row.mime_type, bytes },
        { allowUninspectableArchives: policy.attachments.allowUninspectableArchivesWhenClean },
      );
      uninspected = safe.uninspected.length;
    } catch (error) {
      if (error instanceof AttachmentRefused) return { state: 'refused', reason: error.code, signature: null };
      throw error;
    }
    const scan: FileScan = await this.#deps.scanner.scan(bytes);
    if (scan.state === 'infected') return { state: 'infected', reason: null, signature: scan.signature };
    // An archive nobody could open passes only with a clean scan (allowUninspectableArchivesWhenClean).
    if (scan.state === 'unscanned') {
      return uninspected > 0
        ? { state: 'refused', reason: 'attachment_archive_uninspectable', signature: null }
        : { state: 'unscanned', reason: scan.reason, signature: null };
    }
    return { state: 'clean', reason: null, signature: null };
  }
}
