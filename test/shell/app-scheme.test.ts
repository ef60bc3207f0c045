/** app:// serves the built renderer and nothing else, always under the renderer's CSP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron.js';
import { registerAppScheme, serveAppScheme } from '../../main/shell/app-scheme.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECRET = 'the-device-key-lives-here';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-app-scheme-'));
const rendererDir = path.join(workDir, 'dist', 'renderer');

beforeAll(() => {
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index.js'), 'console.log("renderer")');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index.css'), 'body{}');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'font.woff2'), 'wOF2');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'unknown.xyz'), 'bytes');
  fs.writeFileSync(path.join(workDir, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(workDir, 'dist', 'renderer-evil.txt'), SECRET);
  serveAppScheme(rendererDir);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function fetchApp(url: string, init?: RequestInit): Promise<Response> {
  const handler = fake.protocol.handlers.get('app');
  if (handler === undefined) throw new Error('no app:// handler');
  return Promise.resolve(handler(new Request(url, init)));
}

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(CSP);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('the app:// scheme', () => {
  it('is registered as privileged: standard and secure, without fetch, CORS or streaming', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
    ]);
  });

  it('is handled by main, and file:// is not', () => {
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
  });

  it('serves the entry page with the CSP and nosniff', async () => {
    const response = await fetchApp('app://sportello/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(response);
    expect(await response.text()).toContain('<!doctype html>');
  });

  it('serves the entry page for the bare origin', async () => {
    const response = await fetchApp('app://sportello/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<!doctype html>');
  });

  it.each([
    ['assets/index.js', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/font.woff2', 'font/woff2'],
    ['assets/unknown.xyz', 'application/octet-stream'],
  ])('serves %s as %s', async (file, contentType) => {
    const response = await fetchApp(`app://sportello/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expectSecurityHeaders(response);
  });

  it('answers a missing file with 404, still under the CSP', async () => {
    const response = await fetchApp('app://sportello/assets/missing.js');
    expect(response.status).toBe(404);
    expectSecurityHeaders(response);
  });

  it('answers a directory with 404', async () => {
    expect((await fetchApp('app://sportello/assets')).status).toBe(404);
    expect((await fetchApp('app://sportello/assets/')).status).toBe(404);
  });

  it.each([
    'app://sportello/..%2f..%2fsecret.txt',
    'app://sportello/..%2F..%2Fsecret.txt',
    'app://sportello/assets/..%2f..%2f..%2fsecret.txt',
    'app://sportello/..%5c..%5csecret.txt',
    'app://sportello/..%2frenderer-evil.txt',
    `app://sportello/${encodeURIComponent(path.join(workDir, 'secret.txt'))}`,
  ])('refuses a path that escapes the renderer directory: %s', async (url) => {
    const response = await fetchApp(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expectSecurityHeaders(response);
    expect(await response.text()).not.toContain(SECRET);
  });

  it('refuses an encoded escape with 403', async () => {
    expect((await fetchApp('app://sportello/..%2f..%2fsecret.txt')).status).toBe(403);
  });

  it('keeps dot segments inside the directory (the URL parser resolves them)', async () => {
    const response = await fetchApp('app://sportello/../../secret.txt');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
  });

  it('refuses a NUL byte and a malformed escape', async () => {
    expect((await fetchApp('app://sportello/index.html%00.js')).status).toBe(403);
    expect((await fetchApp('app://sportello/%E0%A4%A')).status).toBe(403);
  });

  it('serves no other host', async () => {
    const response = await fetchApp('app://elsewhere/index.html');
    expect(response.status).toBe(404);
    expectSecurityHeaders(response);
  });

  it('answers only GET and HEAD', async () => {
    const post = await fetchApp('app://sportello/index.html', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expectSecurityHeaders(post);
    const head = await fetchApp('app://sportello/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
