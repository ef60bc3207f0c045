/**
 * Outside the sandbox the pairing QR must carry the address people reach, not the listening
 * one: without SPORTELLO_PUBLIC_URL a phone that scans `https://127.0.0.1:…` reaches itself. So
 * the server refuses to start without it (one line naming it), and refuses one that a phone
 * cannot use (plain http, a loopback address).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/load-config.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const META = {
  WHATSAPP_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-1',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-not-a-real-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  SPORTELLO_SERVER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('SPORTELLO_PUBLIC_URL outside the sandbox', () => {
  it('is required, and the error names it in one line', () => {
    const message = configError(META);
    expect(message).toMatch(/^Configuration error: SPORTELLO_PUBLIC_URL is required outside the sandbox/);
    expect(message).not.toContain('\n');
  });

  it('must be https and not a loopback address, which a phone cannot reach', () => {
    expect(configError({ ...META, SPORTELLO_PUBLIC_URL: 'http://desk.example.com' })).toMatch(
      /^Configuration error: SPORTELLO_PUBLIC_URL must use https outside the sandbox/,
    );
    for (const loopback of ['https://127.0.0.1:8787', 'https://localhost', 'https://[::1]:8443', 'https://127.1.2.3']) {
      expect(configError({ ...META, SPORTELLO_PUBLIC_URL: loopback })).toMatch(/^Configuration error: SPORTELLO_PUBLIC_URL names this machine itself/);
    }
  });

  it('is taken as given when it names a reachable https address', () => {
    const config = loadConfig({ ...META, SPORTELLO_PUBLIC_URL: 'https://desk.example.com/' });
    expect(config.sandbox).toBeUndefined();
    expect(config.identity.publicUrl).toBe('https://desk.example.com');
  });

  it('stays optional in the sandbox, where the listening address is the one to use', () => {
    expect(loadConfig({}).identity.publicUrl).toBeUndefined();
    expect(loadConfig({ SPORTELLO_PUBLIC_URL: 'http://127.0.0.1:8787' }).identity.publicUrl).toBe('http://127.0.0.1:8787');
  });

  it('stops `npm run server` with exit code 1 and one line naming it, before listening', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...META },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Configuration error: SPORTELLO_PUBLIC_URL is required outside the sandbox/)]);
    expect(result.stdout).not.toMatch(/listening/);
  });
});
