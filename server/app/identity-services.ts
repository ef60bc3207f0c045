/**
 * The device-trust and identity services, built one way for every process that needs them: the
 * server, and the admin CLI working on the same store.
 */
import type { Kysely } from 'kysely';
import { AgentAdmin } from '../agents/agent-admin.js';
import { EnrollmentService } from '../agents/enrollment.js';
import type { IdentityConfig } from '../config/load-config.js';
import { CredentialChecker } from '../credentials/credential-check.js';
import { DeviceAdmin } from '../devices/device-admin.js';
import { PairingService } from '../devices/pairing-service.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import { LoginService } from '../login/login-service.js';
import { UnlockService } from '../login/unlock-service.js';
import { SessionAdmin } from '../sessions/session-admin.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { TeamAdmin } from '../teams/team-admin.js';
import type { TeamFilling } from '../inbox/team-filling.js';

export interface IdentityServices {
  readonly key: ServerKey;
  readonly pairing: PairingService;
  readonly devices: DeviceAdmin;
  readonly agents: AgentAdmin;
  /** Who is signed in where, and ending one session. */
  readonly sessions: SessionAdmin;
  readonly teams: TeamAdmin;
  readonly enrollment: EnrollmentService;
  readonly login: LoginService;
  readonly unlock: UnlockService;
  /** One for the desktop login and the approval page: unknown usernames lock alike on both. */
  readonly credentials: CredentialChecker;
}

export interface IdentityServicesDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly identity: IdentityConfig;
  /** Base URL of the approval page, for pairing links. */
  readonly publicUrl: () => string;
  /** Closes the sockets of ended sessions and revoked devices (the server's event feed). */
  readonly security: SecurityNotifier;
  readonly now: () => number;
  /** Who gets a team's queued conversations when its members change (server/routing/). */
  readonly routing?: TeamFilling;
}

export function createIdentityServices(deps: IdentityServicesDeps): IdentityServices {
  const { db, committer, key, security, now } = deps;
  const { policy } = deps.identity;
  const sessionLifetimeMs = deps.identity.sessionHours * 60 * 60 * 1000;
  const credentials = new CredentialChecker({ db, key });
  return {
    key,
    pairing: new PairingService({
      db,
      committer,
      key,
      requireAllowlist: policy.requireAllowlist,
      allowBasicTextStorage: policy.allowBasicTextStorage,
      publicUrl: deps.publicUrl,
      security,
      now,
    }),
    devices: new DeviceAdmin({ db, committer, security, now }),
    agents: new AgentAdmin({ db, committer, key, security, now }),
    sessions: new SessionAdmin({ db, committer, security, now }),
    teams: new TeamAdmin({ db, committer, security, now, routing: deps.routing }),
    enrollment: new EnrollmentService({ db, committer, key, orgName: deps.identity.orgName, policy, sessionLifetimeMs, now }),
    login: new LoginService({ db, committer, key, credentials, policy, sessionLifetimeMs, security, now }),
    unlock: new UnlockService({ db, committer, credentials, security, now }),
    credentials,
  };
}
