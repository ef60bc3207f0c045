import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';
import { DATABASE_FILE } from '../store/open-database.js';
import type { ClamdAddress } from '../scanning/clamd-client.js';
import { SETTING_NAMES, ServerSettings } from './server-settings.js';
import type { SettingName } from './server-settings.js';

/** How the server reaches Meta (or the sandbox standing in for it). */
export interface WhatsAppChannel {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly graphApiUrl: string;
  readonly graphApiVersion: string;
}

export interface SendingLimits {
  readonly messagesPerSecond: number;
  readonly pairBurst: number;
  readonly pairIntervalMs: number;
}

/** What the server tells every client at login: the rules of the workstation. */
export interface ClientPolicy {
  readonly requireAllowlist: boolean;
  readonly idleLockMinutes: number;
  readonly offlineLeaseHours: number;
  readonly blockScreenshots: boolean;
  readonly allowBasicTextStorage: boolean;
  readonly keepCacheOnLogout: boolean;
  readonly notificationPreviews: boolean;
}

export interface IdentityConfig {
  /** Seals TOTP secrets and cache-key shares; undefined: the sandbox generates one into the data dir. */
  readonly serverKey: Buffer | undefined;
  readonly orgName: string;
  /** Base URL people reach (approval links); required outside the sandbox; undefined: the listening URL. */
  readonly publicUrl: string | undefined;
  readonly sessionHours: number;
  readonly policy: ClientPolicy;
  /** Desktop apps older than this are refused (`client_outdated`); undefined: any version. */
  readonly minClientVersion?: string | undefined;
}

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** The store on PostgreSQL (SPORTELLO_DATABASE_URL, with its password: never logged); undefined: SQLite in the data dir. */
  readonly databaseUrl?: string | undefined;
  readonly logLevel: ServerSettings['SPORTELLO_LOG_LEVEL'];
  readonly sending: SendingLimits;
  /** Set: the server runs against the local stand-in for Meta, never against real credentials. */
  readonly sandbox: { readonly customersPerSecond: number; readonly customers: number } | undefined;
  /** With the sandbox, the channel's secrets left unset are generated at start. */
  readonly channel: Partial<WhatsAppChannel> & Pick<WhatsAppChannel, 'graphApiUrl' | 'graphApiVersion'>;
  readonly identity: IdentityConfig;
  /** Serve HTTPS with this certificate and key (PEM files). */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Sandbox: make a self-signed certificate and a provisioning file for the local desktop client. */
  readonly devTls: boolean;
  /** The /metrics listener: its own host and port, never the public one. */
  readonly metrics: { readonly host: string; readonly port: number };
  /** The audit chain's checkpoint file (server/audit/audit-checkpoint-file.ts), outside the database. */
  readonly auditCheckpointFile: string;
  /** Where clamd listens; undefined: no virus scanner (the server runs and /healthz says so). */
  readonly scanner?: ClamdAddress | undefined;
  /** The proxies whose forwarded address is believed (server/config/trusted-proxies.ts); none by default. */
  readonly trustedProxies?: readonly string[] | undefined;
}

/** The checkpoint file's default: in the data dir, beside the database and not inside it. */
export const AUDIT_CHECKPOINT_FILE = 'audit-checkpoint.json';

export function defaultAuditCheckpointFile(dataDir: string): string {
  return path.join(dataDir, AUDIT_CHECKPOINT_FILE);
}

export class ConfigError extends CodedError<'config_invalid'> {
  constructor(message: string) {
    super('config_invalid', message);
    this.name = 'ConfigError';
  }
}

const REQUIRED_FOR_META: readonly SettingName[] = ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'];

/**
 * Reads the settings from the environment and, when SPORTELLO_CONFIG names one, a JSON file with
 * the same names as keys (the environment wins). Throws a ConfigError whose message is one line
 * naming the setting at fault.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const fileSettings = readConfigFile(env.SPORTELLO_CONFIG);
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') {
      raw[name] = fromEnv;
      origin[name] = 'environment';
    } else if (fileSettings.values[name] !== undefined) {
      raw[name] = fileSettings.values[name];
      origin[name] = fileSettings.path ?? 'file';
    }
  }
  const parsed = ServerSettings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(`Configuration error: ${name} ${issue?.message ?? 'is invalid'} (from ${origin[name] ?? 'defaults'}).`);
  }
  const s = parsed.data;

  const sandbox = s.SPORTELLO_SANDBOX ?? s.WHATSAPP_ACCESS_TOKEN === undefined;
  if (sandbox && s.WHATSAPP_ACCESS_TOKEN !== undefined) {
    throw new ConfigError(
      'Configuration error: SPORTELLO_SANDBOX=1 cannot be combined with WHATSAPP_ACCESS_TOKEN; the sandbox never runs with real credentials.',
    );
  }
  if (!sandbox) {
    const missing = REQUIRED_FOR_META.find((name) => s[name] === undefined);
    if (missing !== undefined) {
      throw new ConfigError(`Configuration error: ${missing} is required to talk to Meta's Cloud API (or set SPORTELLO_SANDBOX=1 for the local stand-in).`);
    }
  }
  if (!sandbox && s.SPORTELLO_SERVER_KEY === undefined) {
    throw new ConfigError(
      'Configuration error: SPORTELLO_SERVER_KEY is required outside the sandbox: it seals TOTP secrets at rest (generate one with: openssl rand -base64 32).',
    );
  }
  if (!sandbox) checkPublicUrl(s.SPORTELLO_PUBLIC_URL);
  if (s.SPORTELLO_DEV_TLS && !sandbox) {
    throw new ConfigError(
      'Configuration error: SPORTELLO_DEV_TLS is for the sandbox only; with real credentials configure SPORTELLO_TLS_CERT_FILE and SPORTELLO_TLS_KEY_FILE.',
    );
  }
  if ((s.SPORTELLO_TLS_CERT_FILE === undefined) !== (s.SPORTELLO_TLS_KEY_FILE === undefined)) {
    const missing = s.SPORTELLO_TLS_CERT_FILE === undefined ? 'SPORTELLO_TLS_CERT_FILE' : 'SPORTELLO_TLS_KEY_FILE';
    throw new ConfigError(`Configuration error: ${missing} is required too: HTTPS needs both the certificate and its private key.`);
  }
  if (s.SPORTELLO_METRICS_PORT !== 0 && s.SPORTELLO_METRICS_PORT === s.SPORTELLO_PORT) {
    throw new ConfigError(
      `Configuration error: SPORTELLO_METRICS_PORT must differ from SPORTELLO_PORT (${s.SPORTELLO_PORT}): /metrics has a listener of its own, never the public port.`,
    );
  }
  if (s.SPORTELLO_CLAMD_SOCKET !== undefined && s.SPORTELLO_CLAMD_TCP !== undefined) {
    throw new ConfigError('Configuration error: set SPORTELLO_CLAMD_SOCKET or SPORTELLO_CLAMD_TCP, not both: the server talks to one clamd.');
  }
  const auditCheckpointFile = s.SPORTELLO_AUDIT_CHECKPOINT_FILE ?? defaultAuditCheckpointFile(s.SPORTELLO_DATA_DIR);
  if (path.resolve(auditCheckpointFile).startsWith(path.resolve(s.SPORTELLO_DATA_DIR, DATABASE_FILE))) {
    throw new ConfigError(
      'Configuration error: SPORTELLO_AUDIT_CHECKPOINT_FILE must not be the database or one of its files: the checkpoint is kept outside it.',
    );
  }
  return {
    port: s.SPORTELLO_PORT,
    host: s.SPORTELLO_HOST,
    dataDir: s.SPORTELLO_DATA_DIR,
    databaseUrl: s.SPORTELLO_DATABASE_URL,
    logLevel: s.SPORTELLO_LOG_LEVEL,
    sending: {
      messagesPerSecond: s.SPORTELLO_SEND_RATE,
      pairBurst: s.SPORTELLO_PAIR_BURST,
      pairIntervalMs: s.SPORTELLO_PAIR_INTERVAL_MS,
    },
    sandbox: sandbox ? { customersPerSecond: s.SPORTELLO_SANDBOX_RATE, customers: s.SPORTELLO_SANDBOX_CUSTOMERS } : undefined,
    channel: {
      appSecret: s.WHATSAPP_APP_SECRET,
      verifyToken: s.WHATSAPP_VERIFY_TOKEN,
      accessToken: s.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: s.WHATSAPP_PHONE_NUMBER_ID,
      graphApiUrl: s.GRAPH_API_URL,
      graphApiVersion: s.GRAPH_API_VERSION,
    },
    identity: {
      serverKey: s.SPORTELLO_SERVER_KEY === undefined ? undefined : Buffer.from(s.SPORTELLO_SERVER_KEY, 'base64'),
      orgName: s.SPORTELLO_ORG_NAME,
      publicUrl: s.SPORTELLO_PUBLIC_URL,
      sessionHours: s.SPORTELLO_SESSION_HOURS,
      minClientVersion: s.SPORTELLO_MIN_CLIENT_VERSION,
      policy: {
        requireAllowlist: s.SPORTELLO_REQUIRE_ALLOWLIST,
        idleLockMinutes: s.SPORTELLO_IDLE_LOCK_MINUTES,
        offlineLeaseHours: s.SPORTELLO_OFFLINE_LEASE_HOURS,
        blockScreenshots: s.SPORTELLO_BLOCK_SCREENSHOTS,
        allowBasicTextStorage: s.SPORTELLO_ALLOW_BASIC_TEXT_STORAGE,
        keepCacheOnLogout: s.SPORTELLO_KEEP_CACHE_ON_LOGOUT,
        notificationPreviews: s.SPORTELLO_NOTIFICATION_PREVIEWS,
      },
    },
    tls:
      s.SPORTELLO_TLS_CERT_FILE === undefined || s.SPORTELLO_TLS_KEY_FILE === undefined
        ? undefined
        : { certFile: s.SPORTELLO_TLS_CERT_FILE, keyFile: s.SPORTELLO_TLS_KEY_FILE },
    devTls: s.SPORTELLO_DEV_TLS,
    metrics: { host: s.SPORTELLO_METRICS_HOST, port: s.SPORTELLO_METRICS_PORT },
    auditCheckpointFile,
    scanner: scannerAddress(s.SPORTELLO_CLAMD_SOCKET, s.SPORTELLO_CLAMD_TCP),
    trustedProxies: s.SPORTELLO_TRUSTED_PROXIES,
  };
}

function scannerAddress(socketPath: string | undefined, tcp: string | undefined): ClamdAddress | undefined {
  if (socketPath !== undefined) return { socketPath };
  if (tcp === undefined) return undefined;
  const colon = tcp.lastIndexOf(':');
  return { host: tcp.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(tcp.slice(colon + 1)) };
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The pairing QR carries the public URL to IT's phone: outside the sandbox it must be given, use
 * https (the page takes an admin's password) and not name this machine, which on a phone is the
 * phone itself.
 */
function checkPublicUrl(publicUrl: string | undefined): void {
  if (publicUrl === undefined) {
    throw new ConfigError(
      "Configuration error: SPORTELLO_PUBLIC_URL is required outside the sandbox: the pairing QR carries it to IT's phone (e.g. https://desk.example.com), and the listening address would lead the phone to itself.",
    );
  }
  const url = new URL(publicUrl);
  if (url.protocol !== 'https:')
    throw new ConfigError(
      `Configuration error: SPORTELLO_PUBLIC_URL must use https outside the sandbox (the approval page takes an admin's password), not ${url.protocol}.`,
    );
  if (LOOPBACK_HOST.test(url.hostname)) {
    throw new ConfigError(
      `Configuration error: SPORTELLO_PUBLIC_URL names this machine itself (${url.hostname}), which on IT's phone is the phone: give the name or address people reach the server by.`,
    );
  }
}

function readConfigFile(file: string | undefined): { path?: string; values: Record<string, unknown> } {
  if (file === undefined || file === '') return { values: {} };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Configuration error: SPORTELLO_CONFIG names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Configuration error: SPORTELLO_CONFIG file ${file} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(`Configuration error: SPORTELLO_CONFIG file ${file} must hold one JSON object of settings.`);
  }
  const unknownKey = Object.keys(values).find((key) => !(SETTING_NAMES as string[]).includes(key));
  if (unknownKey !== undefined) {
    throw new ConfigError(`Configuration error: ${unknownKey} in ${file} is not a setting (known: ${SETTING_NAMES.join(', ')}).`);
  }
  const stringified: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    stringified[key] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  }
  return { path: file, values: stringified };
}
