/**
 * The sandbox's stand-in for Stripe's API, for the two calls a payment link takes (docs/safety-rules.md,
 * "Payment links"): POST /v1/prices (with `product_data`) and POST /v1/payment_links. It speaks
 * Stripe's wire form: form-encoded bodies with bracketed keys, the secret key as the bearer, an
 * `Idempotency-Key` header whose repeat answers the first response (and another body under the
 * same key is Stripe's `idempotency_error`), and Stripe's error objects. A key that is not a test
 * key of the form Stripe issues is refused as Stripe refuses an invalid one (401), so the sandbox
 * never stands in for a live account. It listens on loopback only; nothing reaches Stripe.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in answered (tests check what the server sent). */
export interface StripeCall {
  readonly path: string;
  /** The bearer the call carried. */
  readonly secretKey: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly form: Readonly<Record<string, string>>;
  readonly status: number;
}

export interface StripeStandInOptions {
  /** Which keys it takes; by default any test key (`sk_test_…`, `rk_test_…`). */
  readonly acceptsKey?: (secretKey: string) => boolean;
  /** The host of the payment pages it makes links to (Stripe's own: buy.stripe.com). */
  readonly linkHost?: string;
}

interface StripeError {
  readonly status: number;
  readonly type: 'invalid_request_error' | 'idempotency_error' | 'authentication_error';
  readonly message: string;
  readonly param?: string;
}

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]{8,}$/;
const MAX_BODY = 64 * 1024;

export class StripeStandIn {
  readonly #server = http.createServer((request, response) => void this.#handle(request, response));
  readonly #acceptsKey: (secretKey: string) => boolean;
  readonly #linkHost: string;
  readonly #prices = new Map<string, Record<string, unknown>>();
  readonly #links = new Map<string, Record<string, unknown>>();
  /** `key\0idempotency-key` → the body it came with and the answer given. */
  readonly #answered = new Map<string, { readonly body: string; readonly status: number; readonly json: string }>();
  readonly #calls: StripeCall[] = [];
  #url = '';

  constructor(options: StripeStandInOptions = {}) {
    this.#acceptsKey = options.acceptsKey ?? ((key) => TEST_KEY.test(key));
    this.#linkHost = options.linkHost ?? 'buy.stripe.com';
  }

  /** Where the server's Stripe client points (`http://127.0.0.1:<port>`). */
  get url(): string {
    return this.#url;
  }

  /** Every call answered, in order. */
  get calls(): readonly StripeCall[] {
    return this.#calls;
  }

  /** The payment links made (each once, however often its creation was retried). */
  get paymentLinks(): ReadonlyArray<Readonly<Record<string, unknown>>> {
    return [...this.#links.values()];
  }

  price(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.#prices.get(id);
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${address.port}`;
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(request);
    } catch {
      return send(response, 413, errorBody({ status: 413, type: 'invalid_request_error', message: 'Request body too large.' }));
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const auth = request.headers.authorization;
    const secretKey = auth?.startsWith('Bearer ') === true ? auth.slice('Bearer '.length) : undefined;
    const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
    const form = Object.fromEntries(new URLSearchParams(body));
    const answer = (status: number, json: string) => {
      this.#calls.push({ path, secretKey, idempotencyKey, form, status });
      send(response, status, json);
    };
    if (secretKey === undefined || !this.#acceptsKey(secretKey)) {
      const shown = secretKey === undefined ? '' : `${secretKey.slice(0, 8)}****${secretKey.slice(-4)}`;
      return answer(401, errorBody({ status: 401, type: 'authentication_error', message: `Invalid API Key provided: ${shown}` }));
    }
    if (request.method !== 'POST' || (path !== '/v1/prices' && path !== '/v1/payment_links')) {
      return answer(404, errorBody({ status: 404, type: 'invalid_request_error', message: `Unrecognized request URL (${request.method} ${path}).` }));
    }
    const remembered = idempotencyKey === undefined ? undefined : `${secretKey}\0${idempotencyKey}`;
    const earlier = remembered === undefined ? undefined : this.#answered.get(remembered);
    if (earlier !== undefined) {
      if (earlier.body !== `${path}\0${body}`) {
        return answer(
          400,
          errorBody({
            status: 400,
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
          }),
        );
      }
      return answer(earlier.status, earlier.json);
    }
    const outcome = path === '/v1/prices' ? this.#createPrice(form) : this.#createLink(form);
    const status = 'error' in outcome ? outcome.error.status : 200;
    const json = 'error' in outcome ? errorBody(outcome.error) : JSON.stringify(outcome.object);
    if (remembered !== undefined && status === 200) this.#answered.set(remembered, { body: `${path}\0${body}`, status, json });
    return answer(status, json);
  }

  #createPrice(form: Record<string, string>): { object: Record<string, unknown> } | { error: StripeError } {
    const currency = form.currency;
    if (currency === undefined || !/^[a-z]{3}$/.test(currency)) return missing('currency');
    const unitAmount = form.unit_amount;
    if (unitAmount === undefined || !/^\d{1,8}$/.test(unitAmount) || Number(unitAmount) < 1) return missing('unit_amount');
    const name = form['product_data[name]'];
    if (name === undefined || name.trim() === '') return missing('product_data[name]');
    const id = `price_${randomId()}`;
    const price = {
      id,
      object: 'price',
      active: true,
      currency,
      unit_amount: Number(unitAmount),
      product: `prod_${randomId()}`,
      type: 'one_time',
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      product_name: name,
    };
    this.#prices.set(id, price);
    return { object: price };
  }

  #createLink(form: Record<string, string>): { object: Record<string, unknown> } | { error: StripeError } {
    const priceId = form['line_items[0][price]'];
    if (priceId === undefined || !this.#prices.has(priceId)) {
      return { error: { status: 400, type: 'invalid_request_error', message: `No such price: '${priceId ?? ''}'`, param: 'line_items[0][price]' } };
    }
    const quantity = form['line_items[0][quantity]'];
    if (quantity === undefined || !/^\d{1,4}$/.test(quantity) || Number(quantity) < 1) return missing('line_items[0][quantity]');
    const id = `plink_${randomId()}`;
    const metadata = Object.fromEntries(
      Object.entries(form)
        .filter(([key]) => key.startsWith('metadata['))
        .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
    );
    const link = {
      id,
      object: 'payment_link',
      active: true,
      livemode: false,
      url: `https://${this.#linkHost}/test_${randomId()}`,
      metadata,
      line_items: { object: 'list', data: [{ price: priceId, quantity: Number(quantity) }] },
    };
    this.#links.set(id, link);
    return { object: link };
  }
}

function missing(param: string): { error: StripeError } {
  return { error: { status: 400, type: 'invalid_request_error', message: `Missing or invalid parameter: ${param}.`, param } };
}

function randomId(): string {
  return crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}

function errorBody(error: StripeError): string {
  return JSON.stringify({ error: { type: error.type, message: error.message, ...(error.param === undefined ? {} : { param: error.param }) } });
}

function send(response: http.ServerResponse, status: number, json: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomId()}` });
  response.end(json);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
