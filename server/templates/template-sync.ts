/**
 * The sync of templates from Meta (docs/templates.md): for each business account (WABA) of the
 * numbers served here, every page of `GET /{waba-id}/message_templates` through the Graph client
 * of one of its numbers, then one transaction that upserts them and marks removed those Meta no
 * longer lists. At start and then on a schedule: a durable job of the runner (`templates.sync`,
 * server/jobs/template-sync-job.ts) schedules the next one and wakes the syncer after its commit,
 * as the media rescan does. A sync
 * that fails leaves the stored templates as they were and records why, for the admin screen.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { TemplateSync } from '../../common/api/template-endpoints.js';
import { GraphApiError } from '../cloud-api/graph-client.js';
import type { GraphClient } from '../cloud-api/graph-client.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { readMetaTemplate } from './meta-templates.js';
import type { ReadTemplate } from './meta-templates.js';
import { storeSyncedTemplates, storeSyncFailure, templateSyncs } from './template-store.js';

/** A runaway paging (a cursor that never ends) stops here. */
const MAX_PAGES = 200;

export interface TemplateSyncDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  /** The numbers served here with their accounts and Graph clients (server/numbers/business-numbers.ts). */
  readonly numbers: { lines(): ReadonlyArray<{ readonly wabaId: string | null; readonly graph: GraphClient | undefined }> };
  /** Told, after the commit, which templates changed (server/templates/template-announcer.ts). */
  readonly changed: (ids: readonly string[]) => void;
  readonly log: Logger;
  readonly now: () => number;
}

export class TemplateSyncer {
  readonly #deps: TemplateSyncDeps;
  #run: Promise<TemplateSync[]> | undefined;
  #stopped = false;

  constructor(deps: TemplateSyncDeps) {
    this.#deps = deps;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Syncs every account now (one sync at a time: a second call joins the running one); the accounts' syncs as stored after it. */
  syncNow(): Promise<TemplateSync[]> {
    if (this.#run !== undefined) return this.#run;
    this.#run = this.#syncAll().finally(() => {
      this.#run = undefined;
    });
    return this.#run;
  }

  async #syncAll(): Promise<TemplateSync[]> {
    const accounts = new Map<string, GraphClient>();
    for (const line of this.#deps.numbers.lines()) {
      if (line.wabaId !== null && line.graph !== undefined && !accounts.has(line.wabaId)) accounts.set(line.wabaId, line.graph);
    }
    for (const [wabaId, graph] of accounts) {
      if (this.#stopped) break;
      await this.#syncAccount(wabaId, graph);
    }
    return templateSyncs(this.#deps.db);
  }

  async #syncAccount(wabaId: string, graph: GraphClient): Promise<void> {
    const { committer, log, now } = this.#deps;
    let templates: ReadTemplate[];
    let skipped = 0;
    try {
      templates = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await graph.listMessageTemplates(wabaId, after);
        for (const raw of page.templates) {
          const template = readMetaTemplate(raw);
          if (template === undefined) skipped += 1;
          else templates.push(template);
        }
        after = page.after;
        pages += 1;
      } while (after !== undefined && pages < MAX_PAGES);
    } catch (error) {
      const reason = error instanceof GraphApiError ? `${error.failure.metaCode ?? error.failure.httpStatus ?? 'network'}: ${error.message}` : String(error);
      log.warn({ wabaId, reason }, 'template sync failed');
      await committer.submit((trx) => storeSyncFailure(trx, wabaId, reason.slice(0, 300), now()));
      return;
    }
    const stored = await committer.submit((trx) => storeSyncedTemplates(trx, wabaId, templates, now()));
    log.info({ wabaId, listed: stored.listed, removed: stored.removed, changed: stored.changed.length, skipped }, 'templates synced');
    this.#deps.changed(stored.changed);
  }
}
