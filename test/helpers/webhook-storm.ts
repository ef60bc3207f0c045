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

export interface FaultStorm {
  /** The fault comes after this many 200s… */
  readonly acksBefore: number;
  /** …lasts until this many webhooks were refused under it… */
  readonly refusalsDuring: number;
  /** …and the storm ends this many 200s after it was lifted. */
  readonly acksAfter: number;
  readonly concurrency: number;
  /** The next webhook of the storm (its index in it). */
  makeWebhook(index: number): SignedWebhook;
  begin(): void;
  end(): void;
}

export interface FaultStormOutcome {
  readonly webhooks: readonly SignedWebhook[];
  /** Each webhook's answer, by wamid. */
  readonly answers: ReadonlyMap<string, WebhookAnswer>;
  /** Requests that got no answer at all (the server dropped them): a storm stops at the first. */
  readonly connectionErrors: readonly string[];
}

/** A storm of webhooks through a fault: begun after `acksBefore` 200s, ended once `refusalsDuring` were refused. */
export async function stormThroughFault(port: number, storm: FaultStorm): Promise<FaultStormOutcome> {
  const webhooks: SignedWebhook[] = [];
  const answers = new Map<string, WebhookAnswer>();
  const connectionErrors: string[] = [];
  let phase: 'before' | 'during' | 'after' | 'done' = 'before';
  let acked = 0;
  let refused = 0;
  let ackedWhenLifted = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: storm.concurrency });
  try {
    await Promise.all(
      Array.from({ length: storm.concurrency }, async () => {
        while (phase !== 'done') {
          const webhook = storm.makeWebhook(webhooks.length);
          webhooks.push(webhook);
          let answer: WebhookAnswer;
          try {
            answer = await postSignedWebhook(agent, port, webhook);
          } catch (error) {
            connectionErrors.push((error as Error).message);
            phase = 'done';
            return;
          }
          answers.set(webhook.wamid, answer);
          if (answer.status === 200) acked += 1;
          if (phase === 'before' && acked >= storm.acksBefore) {
            phase = 'during';
            storm.begin();
          } else if (phase === 'during' && answer.status !== 200) {
            refused += 1;
            if (refused >= storm.refusalsDuring) {
              phase = 'after';
              ackedWhenLifted = acked;
              storm.end();
            }
          } else if (phase === 'after' && acked >= ackedWhenLifted + storm.acksAfter) {
            phase = 'done';
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { webhooks, answers, connectionErrors };
}
