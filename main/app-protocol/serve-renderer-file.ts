/**
 * Answers an app:// request from the built renderer directory, and from nowhere else: the
 * decoded path must stay inside that directory (403 otherwise), a missing file is a 404, and
 * every answer carries the renderer's CSP and `nosniff`. Electron-free, so it is tested under Node.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST } from './app-origin.js';
import { contentTypeFor } from './content-types.js';
import { RENDERER_SECURITY_HEADERS } from './renderer-headers.js';

const ENTRY_FILE = 'index.html';

function answer(status: number, body: Uint8Array | string | null, headers: Record<string, string> = {}): Response {
  const init = { status, headers: { ...RENDERER_SECURITY_HEADERS, ...headers } };
  if (body === null) return new Response(null, init);
  if (typeof body === 'string') return new Response(body, { ...init, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...init.headers } });
  return new Response(body, init);
}

/** The file a URL path names inside `rootDir`, or null when the path leaves it or cannot be decoded. */
export function resolveInside(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(rootDir);
  const relativePath = decoded === '/' || decoded === '' ? ENTRY_FILE : decoded;
  const target = path.join(root, relativePath);
  const fromRoot = path.relative(root, target);
  if (fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) return null;
  return target;
}

async function readRegularFile(filePath: string): Promise<Uint8Array | null> {
  try {
    const stats = await fs.stat(filePath);
    if (!stats.isFile()) return null;
    return await fs.readFile(filePath);
  } catch {
    return null;
  }
}

export async function serveRendererFile(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return answer(404, 'Not found');
  const filePath = resolveInside(rootDir, url.pathname);
  if (filePath === null) return answer(403, 'Forbidden');
  const bytes = await readRegularFile(filePath);
  if (bytes === null) return answer(404, 'Not found');
  const headers = { 'Content-Type': contentTypeFor(filePath), 'Content-Length': String(bytes.byteLength) };
  return answer(200, request.method === 'HEAD' ? null : bytes, headers);
}
