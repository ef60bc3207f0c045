/** The templates' parts, made together for the server (server/app/inbox-server.ts wires them). */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { TemplateAnnouncer } from './template-announcer.js';
import type { TemplateSockets } from './template-announcer.js';
import { TemplateLists } from './template-lists.js';
import { TemplateSyncer } from './template-sync.js';
import type { TemplateSyncDeps } from './template-sync.js';

export interface TemplateServices {
  readonly lists: TemplateLists;
  readonly syncer: TemplateSyncer;
  readonly announcer: TemplateAnnouncer;
}

export function templateServices(deps: {
  db: Kysely<InboxDatabase>;
  committer: GroupCommitter;
  numbers: TemplateSyncDeps['numbers'];
  views: InboxViews;
  sockets: TemplateSockets;
  log: Logger;
  now: () => number;
}): TemplateServices {
  const log = deps.log.child({ component: 'templates' });
  const announcer = new TemplateAnnouncer({ db: deps.db, sockets: deps.sockets, log });
  const syncer = new TemplateSyncer({
    db: deps.db,
    committer: deps.committer,
    numbers: deps.numbers,
    changed: (ids) => announcer.announce(ids),
    log,
    now: deps.now,
  });
  return { lists: new TemplateLists({ db: deps.db, views: deps.views }), syncer, announcer };
}
