/**
 * Every setting of the inbox server: its name (the environment variable, also the key in the
 * optional JSON file), its default and its rule. Validated once at start.
 */
import { z } from 'zod';
import { AppVersion } from '../../common/api/client-version.js';
import { TrustedProxies } from './trusted-proxies.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const text = z.string().trim().min(1, 'must not be empty');
const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');
const integer = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const positive = (max: number) => z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0').max(max, `must be at most ${max}`);

/** A key of 32 random bytes in base64 (the server key, the backup key). */
const randomKey = z
  .string()
  .trim()
  .refine(
    (value) => /^[A-Za-z0-9+/_-]{43}=?$/.test(value) && Buffer.from(value, 'base64').length === 32,
    'must be 32 random bytes in base64 (openssl rand -base64 32)',
  );

export const SETTINGS = {
  SPORTELLO_PORT: integer(0, 65535).default(8787),
  SPORTELLO_HOST: text.default('127.0.0.1'),
  SPORTELLO_DATA_DIR: text.default('./data'),
  /** postgres://user:password@host:port/database: the store on PostgreSQL; unset, SQLite in the data dir. */
  SPORTELLO_DATABASE_URL: z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
      } catch {
        return false;
      }
    }, 'must be a PostgreSQL URL with a host and a database, such as postgres://sportello:PASSWORD@db.example.com:5432/sportello')
    .optional(),
  SPORTELLO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SPORTELLO_SANDBOX: flag.optional(),
  WHATSAPP_APP_SECRET: text.min(16, 'must be the app secret from the App Dashboard (at least 16 characters)').optional(),
  WHATSAPP_VERIFY_TOKEN: text.min(8, 'must be at least 8 characters').optional(),
  WHATSAPP_ACCESS_TOKEN: text.optional(),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,20}$/, 'must be the numeric phone number id from the App Dashboard')
    .optional(),
  GRAPH_API_URL: z
    .url({ error: 'must be a URL such as https://graph.facebook.com' })
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    }, 'must use https (plain http only to a loopback address)')
    .transform((value) => value.replace(/\/+$/, ''))
    .default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
  /** The number's throughput (Meta's default tier is 80 messages/s). */
  SPORTELLO_SEND_RATE: positive(1000).default(80),
  /** Per-customer pair limit: a burst of this many, then one message every PAIR_INTERVAL. */
  SPORTELLO_PAIR_BURST: integer(1, 1000).default(10),
  SPORTELLO_PAIR_INTERVAL_MS: integer(1, 600_000).default(6000),
  /** Sandbox: simulated customers' messages per second (0: none). */
  SPORTELLO_SANDBOX_RATE: z.coerce.number({ error: 'must be a number' }).min(0, 'must be 0 or more').max(100_000).default(0.2),
  SPORTELLO_SANDBOX_CUSTOMERS: integer(1, 100_000).default(12),
  /** 32 random bytes (base64) sealing TOTP secrets and cache-key shares at rest. Sandbox: generated into the data dir. */
  SPORTELLO_SERVER_KEY: randomKey.optional(),
  /** 32 random bytes (base64) the backups are encrypted under (docs/backups.md); keep a copy away from the server, or no backup can be read. */
  SPORTELLO_BACKUP_KEY: randomKey.optional(),
  /** Where `backup create` and the daily backup write their archives; with SPORTELLO_BACKUP_KEY set, the server backs up daily. */
  SPORTELLO_BACKUP_DIR: text.optional(),
  /** How many archives the daily backup keeps (the oldest beyond it are removed). */
  SPORTELLO_BACKUP_RETAIN: integer(1, 365).default(7),
  /** The organisation's name, shown in the authenticator app next to "Sportello". */
  SPORTELLO_ORG_NAME: text.max(64, 'must be at most 64 characters').default('Sportello'),
  /** Where people reach this server (the pairing QR's approval link): required outside the sandbox (https, not a loopback address); the sandbox uses the listening URL. */
  SPORTELLO_PUBLIC_URL: z
    .url({ error: 'must be a URL such as https://desk.example.com' })
    .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must use https (or http for a test setup)')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  SPORTELLO_TLS_CERT_FILE: text.optional(),
  SPORTELLO_TLS_KEY_FILE: text.optional(),
  /** Sandbox only: serve HTTPS with a self-signed certificate made into the data dir, and write a provisioning file for the desktop client. */
  SPORTELLO_DEV_TLS: flag.default(false),
  /** Pairing requests from machine IDs IT has not registered are refused at once. */
  SPORTELLO_REQUIRE_ALLOWLIST: flag.default(true),
  SPORTELLO_IDLE_LOCK_MINUTES: integer(1, 240).default(5),
  SPORTELLO_OFFLINE_LEASE_HOURS: integer(1, 168).default(12),
  SPORTELLO_BLOCK_SCREENSHOTS: flag.default(true),
  /** Linux clients whose only secret store is basic_text (no keyring) may still be used. */
  SPORTELLO_ALLOW_BASIC_TEXT_STORAGE: flag.default(false),
  /** Whether a logged-out agent's encrypted cache stays on the machine for their next login. */
  SPORTELLO_KEEP_CACHE_ON_LOGOUT: flag.default(false),
  /** Whether desktop notifications may show message text (off: only who wrote). */
  SPORTELLO_NOTIFICATION_PREVIEWS: flag.default(false),
  /** Desktop apps older than this version (semantic versioning) are refused with client_outdated and told to update; unset: any version. */
  SPORTELLO_MIN_CLIENT_VERSION: AppVersion.optional(),
  /** How long a login lasts before the agent must log in again (refresh stops working). */
  SPORTELLO_SESSION_HOURS: integer(1, 24).default(12),
  /** The interface of the /metrics listener, which is never the public port (loopback unless Prometheus scrapes from elsewhere). */
  SPORTELLO_METRICS_HOST: z
    .string()
    .trim()
    .regex(
      /^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/,
      'must be a host name or an IP address, such as 127.0.0.1',
    )
    .transform((value) => value.replace(/^\[(.*)\]$/, '$1'))
    .default('127.0.0.1'),
  /** The port of the /metrics listener (0: any free port). */
  SPORTELLO_METRICS_PORT: integer(0, 65535).default(9464),
  /** Where the audit chain's checkpoints are written, outside the database; `audit-checkpoint.json` in the data dir by default. */
  SPORTELLO_AUDIT_CHECKPOINT_FILE: text.optional(),
  /** clamd's unix socket (Debian: /run/clamav/clamd.ctl); or SPORTELLO_CLAMD_TCP; neither: files are not scanned, as /healthz says. */
  SPORTELLO_CLAMD_SOCKET: text.optional(),
  /** clamd's TCP address, host:port (clamd's TCPAddr and TCPSocket). */
  SPORTELLO_CLAMD_TCP: z
    .string()
    .trim()
    .regex(/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, 'must be host:port, such as 127.0.0.1:3310')
    .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'must have a port up to 65535')
    .optional(),
  /** The proxies (IP addresses, CIDR ranges) whose X-Forwarded-For names the client's address; unset: none, each peer's own address counts. */
  SPORTELLO_TRUSTED_PROXIES: TrustedProxies.default([]),
} as const;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export const ServerSettings = z.object(SETTINGS);
export type ServerSettings = z.infer<typeof ServerSettings>;
