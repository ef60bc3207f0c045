/**
 * What an admin command works with: the server's own configuration, its database and the same
 * device, pairing and agent services the server builds (server/app/inbox-server.ts), acting as
 * `cli:<OS user>`. SQLite in WAL mode lets this process write while the server runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import { createIdentityServices } from '../app/identity-services.js';
import type { AgentAdmin } from '../agents/agent-admin.js';
import { loadConfig } from '../config/load-config.js';
import type { ServerConfig } from '../config/load-config.js';
import { cliActor } from '../audit/actor.js';
import type { Actor } from '../audit/actor.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { DeviceAdmin } from '../devices/device-admin.js';
import type { PairingService } from '../devices/pairing-service.js';
import type { SessionAdmin } from '../sessions/session-admin.js';
import { writeAuditCheckpoint } from '../audit/audit-checkpointer.js';
import { NumberAdmin } from '../numbers/number-admin.js';
import type { TeamAdmin } from '../teams/team-admin.js';
import { RoutingAdmin } from '../routing/routing-admin.js';
import { SafetyPolicies } from '../safety/safety-policies.js';
import { Briefings } from '../briefing/briefings.js';
import { PaymentProviderSettings } from '../payments/payment-provider-settings.js';
import pino from 'pino';
import { loadServerKey } from '../secrets/server-key.js';
import { GroupCommitter } from '../store/group-commit.js';
import type { AuditChainKey } from '../store/group-commit.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { postgresStoreExists, redactedDatabaseUrl } from '../store/open-postgres.js';
import type { InboxDatabase } from '../store/schema.js';

export interface AdminContext {
  /** The server's settings, as the command read them. */
  readonly config: ServerConfig;
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly pairing: PairingService;
  readonly devices: DeviceAdmin;
  readonly agents: AgentAdmin;
  /** Live sessions, and ending one. */
  readonly sessions: SessionAdmin;
  readonly teams: TeamAdmin;
  /** The routing rules: which team a new conversation goes to. */
  readonly routing: RoutingAdmin;
  /** The safety policy; the running server finds a change by its poll and tells every workstation. */
  readonly safety: SafetyPolicies;
  /** The security briefing; workstations find a version published here at their next inbox call. */
  readonly briefings: Briefings;
  /** The payment provider of agents' payment links: its Stripe key sealed under the server key. */
  readonly payments: PaymentProviderSettings;
  /** The business numbers: their tokens sealed under the server key. */
  readonly numbers: NumberAdmin;
  readonly actor: Actor;
  /** Seals the audit chain's rows and checkpoints (derived from the server key). */
  readonly auditKey: AuditChainKey;
  /** Set when the sandbox's server key was created by this command (the store had none yet). */
  readonly generatedKeyFile: string | undefined;
  /**
   * Waits for the commits, writes a checkpoint of the audit chain if the command appended to it,
   * and closes the store. Answers a warning for the person when the checkpoint file was kept
   * because the store no longer contains it.
   */
  close(): Promise<string | undefined>;
}

/**
 * The services tell their notifier to close the WebSockets of ended sessions and revoked devices.
 * Those sockets live in the server process, not here: the running server's event feed polls the
 * store every 250 ms and closes them when it sees what this process committed. So there is
 * nothing for this process to do.
 */
export const otherProcessNotifier: SecurityNotifier = {
  viewsChanged: () => undefined,
  sessionsEnded: () => undefined,
  devicesRevoked: () => undefined,
};

function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A container user without a passwd entry has a uid but no name.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

export async function openAdminContext(env: NodeJS.ProcessEnv): Promise<AdminContext> {
  const config = loadConfig(env);
  const databaseFile = path.join(config.dataDir, DATABASE_FILE);
  // Creating an empty store would hide a wrong SPORTELLO_DATA_DIR: the server would never read what the command wrote.
  if (config.databaseUrl !== undefined) {
    if (!(await postgresStoreExists(config.databaseUrl))) {
      throw new CodedError(
        'store_not_found',
        `There is no Sportello store in the database ${redactedDatabaseUrl(config.databaseUrl)}: set SPORTELLO_DATABASE_URL (or SPORTELLO_CONFIG) as for the server, which creates the store at its first start.`,
      );
    }
  } else if (!fs.existsSync(databaseFile)) {
    throw new CodedError(
      'store_not_found',
      `There is no Sportello database at ${databaseFile}: set SPORTELLO_DATA_DIR (or SPORTELLO_CONFIG) as for the server, which creates the database at its first start.`,
    );
  }
  const serverKey = loadServerKey(config.identity.serverKey, config.dataDir);
  const database = await openDatabase(config.dataDir, config.databaseUrl);
  const { db } = database;
  let audited = false;
  const committer = new GroupCommitter(db, { auditKey: serverKey.key, onAuditCommitted: () => (audited = true) });
  const services = createIdentityServices({
    db,
    committer,
    key: serverKey.key,
    identity: config.identity,
    // Only pairing requests build approval links, and those reach the server, not the CLI.
    publicUrl: () => config.identity.publicUrl ?? `http://${config.host}:${config.port}`,
    security: otherProcessNotifier,
    now: Date.now,
  });
  // A stored section it cannot read is said on stderr, so stdout stays the command's answer.
  const safety = new SafetyPolicies({ db, committer, log: pino({ level: 'warn' }, pino.destination(2)), now: Date.now });
  return {
    config,
    db,
    committer,
    pairing: services.pairing,
    devices: services.devices,
    agents: services.agents,
    sessions: services.sessions,
    teams: services.teams,
    routing: new RoutingAdmin({ db, committer, now: Date.now }),
    safety,
    briefings: new Briefings({
      db,
      committer,
      now: Date.now,
      renewAfterDays: async () => (await safety.policy()).briefing.renewAfterDays,
    }),
    numbers: new NumberAdmin({ db, committer, key: serverKey.key, now: Date.now }),
    payments: new PaymentProviderSettings({ db, committer, key: serverKey.key, now: Date.now }),
    actor: cliActor(osUserName()),
    auditKey: serverKey.key,
    generatedKeyFile: serverKey.generated ? serverKey.file : undefined,
    async close() {
      try {
        await committer.close();
        // Each admin act is followed by a checkpoint, from this process as from the server.
        if (!audited) return undefined;
        const outcome = await writeAuditCheckpoint({ db, key: serverKey.key, file: config.auditCheckpointFile, now: Date.now });
        return outcome.kind === 'refused' ? outcome.problem : undefined;
      } finally {
        await database.close();
      }
    },
  };
}
