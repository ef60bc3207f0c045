/**
 * Delivers signed webhooks the way Meta does: POST with X-Hub-Signature-256, and anything but a
 * 200 is delivered again later with growing delays (Meta keeps trying for 7 days; the sandbox
 * gives up after `maxAttempts`).
 */
import http from 'node:http';
import https from 'node:https';
import { signWebhookBody } from '../cloud-api/webhook-signature.js';

export interface DeliveryOptions {
  readonly maxAttempts?: number;
  readonly firstRetryMs?: number;
  /** PEM of the server's own certificate when it serves HTTPS with a self-signed one (the local sandbox). */
  readonly trustedCertificate?: string;
}

export class WebhookDeliverer {
  readonly #url: string;
  readonly #appSecret: string;
  readonly #maxAttempts: number;
  readonly #firstRetryMs: number;
  readonly #trustedCertificate: string | undefined;
  readonly #pending = new Set<Promise<boolean>>();
  readonly #waits = new Map<NodeJS.Timeout, () => void>();
  #stopped = false;
  delivered = 0;
  failedForGood = 0;

  constructor(url: string, appSecret: string, options: DeliveryOptions = {}) {
    this.#url = url;
    this.#appSecret = appSecret;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#firstRetryMs = options.firstRetryMs ?? 1000;
    this.#trustedCertificate = options.trustedCertificate;
  }

  /** Posts once; resolves with the HTTP status (0 when the server could not be reached). */
  postOnce(body: string): Promise<number> {
    const bytes = Buffer.from(body, 'utf8');
    const url = new URL(this.#url);
    const options: https.RequestOptions = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': bytes.length, 'x-hub-signature-256': signWebhookBody(bytes, this.#appSecret) },
      ...(this.#trustedCertificate === undefined ? {} : { ca: this.#trustedCertificate }),
    };
    return new Promise<number>((resolve) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, options, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', () => resolve(0));
      });
      request.once('error', () => resolve(0));
      request.end(bytes);
    });
  }

  /** Delivers with retries; resolves true once a 200 came back, false if it gave up. */
  deliver(body: string): Promise<boolean> {
    const job = this.#attempt(body, 1);
    this.#pending.add(job);
    void job.finally(() => this.#pending.delete(job));
    return job;
  }

  async #attempt(body: string, attempt: number): Promise<boolean> {
    if (this.#stopped) return false;
    const status = await this.postOnce(body);
    if (status === 200) {
      this.delivered += 1;
      return true;
    }
    if (attempt >= this.#maxAttempts || this.#stopped) {
      this.failedForGood += 1;
      return false;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.#waits.delete(timer);
          resolve();
        },
        this.#firstRetryMs * 2 ** (attempt - 1),
      );
      timer.unref();
      this.#waits.set(timer, resolve);
    });
    return this.#attempt(body, attempt + 1);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const [timer, resolve] of this.#waits) {
      clearTimeout(timer);
      resolve();
    }
    this.#waits.clear();
    await Promise.allSettled([...this.#pending]);
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
