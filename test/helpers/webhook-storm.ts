/**
 * Signed webhooks posted to a server process over loopback with many requests in flight, as
 * Meta delivers them in a burst: what the fault tests (crash recovery, the store restarted or
 * full) send, then compare with what the store kept.
 */
import http from 'node:http';
import { WEBHOOK_PATH } from '../../server/webhooks/webhook-routes.js';
import type { SignedWebhook } from './server-process.js';

export interface WebhookAnswer {
  readonly status: number;
  /** The error body's code when it was not a 200 (`store_unavailable`, …). */
  readonly code?: string;
}

/** POSTs one webhook; resolves with the HTTP status (and an error's code), rejects on a connection error. */
export function postSignedWebhook(agent: http.Agent, port: number, webhook: SignedWebhook): Promise<WebhookAnswer> {
  return new Promise<WebhookAnswer>((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: WEBHOOK_PATH,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': webhook.body.length, 'x-hub-signature-256': webhook.signature },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          const status = response.statusCode ?? 0;
          if (status === 200) return resolve({ status });
          let code: string | undefined;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          resolve(code === undefined ? { status } : { status, code });
        });
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(webhook.body);
  });
}

/** Posts every webhook with `concurrency` requests in flight; returns the statuses in order. */
export async function postAll(port: number, webhooks: readonly SignedWebhook[], concurrency: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: number[] = new Array<number>(webhooks.length).fill(0);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < webhooks.length) {
          const index = next++;
          statuses[index] = (await postSignedWebhook(agent, port, webhooks[index]!)).status;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return statuses;
}
