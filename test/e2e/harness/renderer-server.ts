/**
 * Serves a built renderer over loopback HTTP through the app's own app:// handler
 * (main/app-protocol/serve-renderer-file.ts): the same files, the same CSP and nosniff headers,
 * the same refusals. Only the scheme differs, and http://127.0.0.1 is a secure context as app:// is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ORIGIN } from '../../../main/app-protocol/app-origin.js';
import { serveRendererFile } from '../../../main/app-protocol/serve-renderer-file.js';

export interface RendererServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveRenderer(rootDir: string): Promise<RendererServer> {
  const server = http.createServer((request, response) => {
    const appRequest = new Request(`${APP_ORIGIN}${request.url ?? '/'}`, { method: request.method ?? 'GET' });
    void serveRendererFile(appRequest, rootDir).then(async (answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
