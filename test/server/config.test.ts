/**
 * Settings: validated at start, and a bad one stops the server with one line naming it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/load-config.js';
import { redactedDatabaseUrl } from '../../server/store/open-postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const META = {
  WHATSAPP_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-1',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-not-a-real-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  SPORTELLO_SERVER_KEY: Buffer.alloc(32, 7).toString('base64'),
  SPORTELLO_PUBLIC_URL: 'https://desk.example.com',
};

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('config_invalid');
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

describe('loadConfig', () => {
  it('reads where clamd listens, a unix socket or host:port, and refuses both or a bad address', () => {
    expect(loadConfig({}).scanner).toBeUndefined();
    expect(loadConfig({ SPORTELLO_CLAMD_SOCKET: '/run/clamav/clamd.ctl' }).scanner).toEqual({ socketPath: '/run/clamav/clamd.ctl' });
    expect(loadConfig({ SPORTELLO_CLAMD_TCP: 'scanner.internal:3310' }).scanner).toEqual({ host: 'scanner.internal', port: 3310 });
    expect(loadConfig({ SPORTELLO_CLAMD_TCP: '[::1]:3310' }).scanner).toEqual({ host: '::1', port: 3310 });
    expect(configError({ SPORTELLO_CLAMD_SOCKET: '/run/clamav/clamd.ctl', SPORTELLO_CLAMD_TCP: '127.0.0.1:3310' })).toMatch(/not both/);
    expect(configError({ SPORTELLO_CLAMD_TCP: 'scanner.internal' })).toMatch(/SPORTELLO_CLAMD_TCP.*host:port/);
    expect(configError({ SPORTELLO_CLAMD_TCP: '127.0.0.1:99999' })).toMatch(/SPORTELLO_CLAMD_TCP.*65535/);
  });

  it('believes forwarded addresses only from the proxies it names, and refuses an entry that is not an address or range', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ SPORTELLO_TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16 ,fd00::1,2001:db8::/32,loopback' }).trustedProxies).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::1',
      '2001:db8::/32',
      'loopback',
    ]);
    for (const bad of ['proxy.internal', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.256', '*']) {
      expect(configError({ SPORTELLO_TRUSTED_PROXIES: bad })).toMatch(/^Configuration error: SPORTELLO_TRUSTED_PROXIES must list IP addresses or CIDR ranges/);
    }
  });

  it('runs on its embedded defaults with the sandbox when no access token is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: './data', sending: { messagesPerSecond: 80 } });
    expect(config.sandbox).toBeDefined();
    expect(config.channel).toMatchObject({ graphApiUrl: 'https://graph.facebook.com', graphApiVersion: 'v25.0' });
  });

  it('talks to Meta with the four credentials, and never with the sandbox', () => {
    const config = loadConfig(META);
    expect(config.sandbox).toBeUndefined();
    expect(config.channel.accessToken).toBe(META.WHATSAPP_ACCESS_TOKEN);
    expect(configError({ ...META, SPORTELLO_SANDBOX: '1' })).toMatch(/SPORTELLO_SANDBOX=1 cannot be combined with WHATSAPP_ACCESS_TOKEN/);
  });

  it('names the setting at fault, in one line', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ SPORTELLO_PORT: '70000' }, /^Configuration error: SPORTELLO_PORT must be at most 65535/],
      [{ SPORTELLO_PORT: 'eighty' }, /^Configuration error: SPORTELLO_PORT /],
      [{ GRAPH_API_URL: 'http://graph.example.com' }, /^Configuration error: GRAPH_API_URL must use https/],
      [{ GRAPH_API_VERSION: '25' }, /^Configuration error: GRAPH_API_VERSION must look like v25.0/],
      [{ SPORTELLO_SANDBOX: 'yes' }, /^Configuration error: SPORTELLO_SANDBOX /],
      [{ ...META, WHATSAPP_PHONE_NUMBER_ID: undefined }, /^Configuration error: WHATSAPP_PHONE_NUMBER_ID is required/],
      [{ ...META, WHATSAPP_APP_SECRET: 'short' }, /^Configuration error: WHATSAPP_APP_SECRET must be the app secret/],
      [{ ...META, SPORTELLO_SERVER_KEY: undefined }, /^Configuration error: SPORTELLO_SERVER_KEY is required outside the sandbox/],
      [{ SPORTELLO_SERVER_KEY: 'dG9vIHNob3J0' }, /^Configuration error: SPORTELLO_SERVER_KEY must be 32 random bytes/],
      [{ SPORTELLO_TLS_CERT_FILE: '/etc/cert.pem' }, /^Configuration error: SPORTELLO_TLS_KEY_FILE is required too/],
      [{ SPORTELLO_PUBLIC_URL: 'ftp://desk.example.com' }, /^Configuration error: SPORTELLO_PUBLIC_URL must use https/],
      [{ SPORTELLO_IDLE_LOCK_MINUTES: '0' }, /^Configuration error: SPORTELLO_IDLE_LOCK_MINUTES must be at least 1/],
      [{ ...META, SPORTELLO_DEV_TLS: '1' }, /^Configuration error: SPORTELLO_DEV_TLS is for the sandbox only/],
    ];
    for (const [env, expected] of cases) {
      const message = configError(env);
      expect(message).toMatch(expected);
      expect(message).not.toContain('\n');
    }
  });

  it('takes a PostgreSQL URL for the store, and names a bad one without repeating it', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    const url = 'postgres://sportello:s3cret-pass@db.example.com:5432/sportello';
    expect(loadConfig({ SPORTELLO_DATABASE_URL: url }).databaseUrl).toBe(url);
    for (const bad of ['mysql://sportello:s3cret-pass@db.example.com/sportello', 'postgres://sportello:s3cret-pass@db.example.com', 'not a url s3cret-pass']) {
      const message = configError({ SPORTELLO_DATABASE_URL: bad });
      expect(message).toMatch(/^Configuration error: SPORTELLO_DATABASE_URL must be a PostgreSQL URL with a host and a database/);
      expect(message).not.toContain('s3cret-pass');
    }
    expect(redactedDatabaseUrl(url)).toBe('postgres://sportello:***@db.example.com:5432/sportello');
  });

  it('reads a JSON file named by SPORTELLO_CONFIG, with the environment winning', () => {
    const temp = makeTempDir();
    temps.push(temp);
    const file = path.join(temp.dir, 'sportello.json');
    fs.writeFileSync(file, JSON.stringify({ SPORTELLO_PORT: 9000, SPORTELLO_SEND_RATE: 20 }));
    expect(loadConfig({ SPORTELLO_CONFIG: file })).toMatchObject({ port: 9000, sending: { messagesPerSecond: 20 } });
    expect(loadConfig({ SPORTELLO_CONFIG: file, SPORTELLO_PORT: '9001' }).port).toBe(9001);

    fs.writeFileSync(file, JSON.stringify({ SPORTELLO_PROT: 9000 }));
    expect(configError({ SPORTELLO_CONFIG: file })).toMatch(/SPORTELLO_PROT in .* is not a setting/);
    fs.writeFileSync(file, '{ not json');
    expect(configError({ SPORTELLO_CONFIG: file })).toMatch(/is not valid JSON/);
    fs.writeFileSync(file, '[1, 2]');
    expect(configError({ SPORTELLO_CONFIG: file })).toMatch(/must hold one JSON object/);
    expect(configError({ SPORTELLO_CONFIG: path.join(temp.dir, 'missing.json') })).toMatch(/cannot be read \(ENOENT\)/);
    fs.writeFileSync(file, JSON.stringify({ SPORTELLO_PORT: -1 }));
    expect(configError({ SPORTELLO_CONFIG: file })).toMatch(/SPORTELLO_PORT must be at least 0 \(from .*sportello\.json\)/);
  });
});

describe('npm run server with a bad setting', () => {
  it('stops with exit code 1 and one line naming the setting, before listening', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SPORTELLO_PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: SPORTELLO_PORT /)]);
    expect(result.stdout).not.toMatch(/listening/);
  });
});
