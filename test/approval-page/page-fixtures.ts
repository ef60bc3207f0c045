/**
 * For the approval page's tests: a workstation waiting for approval, an enrolled admin, and a
 * small browser stand-in (cookies, url-encoded forms, a chosen loopback source address) that
 * speaks to the page the way a phone's browser does, without running one.
 */
import http from 'node:http';
import { expect } from 'vitest';
import { approvedDevice, enrolledAgent, IT, totpNow } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import type { TestServer } from '../helpers/test-server.js';

export interface PendingPairing {
  readonly device: TestDevice;
  readonly label: string;
  readonly code: string;
  readonly approvalUrl: string;
  readonly keyFingerprint: string;
  readonly pairingId: number;
}

let workstations = 0;

/** A workstation IT registered, asking to pair; nothing approved yet. Each calls from its own loopback address (the pairing API is rate-limited per address). */
export async function pendingPairing(t: TestServer, options: { hostname?: string; label?: string } = {}): Promise<PendingPairing> {
  workstations += 1;
  const device = new TestDevice(t.server.url, {
    hostname: options.hostname,
    sourceAddress: `127.0.${100 + Math.floor(workstations / 250)}.${(workstations % 250) + 1}`,
  });
  const label = options.label ?? `Reception ${device.machineId.slice(0, 4)}`;
  await t.server.identity.devices.allow([{ machineId: device.machineId, label }], IT, 'single');
  const started = await device.requestPairing();
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const { code, approvalUrl, keyFingerprint, pairingId } = started.body;
  return { device, label, code, approvalUrl, keyFingerprint, pairingId };
}

/** An agent enrolled (through the API, on a workstation of their own) with the given role. */
export async function enrolledWithRole(t: TestServer, username: string, role: 'agent' | 'supervisor' | 'admin'): Promise<EnrolledAgent> {
  return enrolledAgent(t, await approvedDevice(t, `${username}-desk`), username, role);
}

/**
 * The authenticator's code for the next 30-second step. Enrollment spent the current step and a
 * step is never accepted twice; the server accepts one step of drift, as authenticator apps need.
 */
export function nextTotp(agent: EnrolledAgent): Promise<string> {
  return totpNow(agent.secret, Date.now() + 30_000);
}

/** What the server knows of the workstation, asked with a proof by its own key. */
export async function deviceStatus(device: TestDevice): Promise<string> {
  const response = await device.call<{ status: string }>('POST', '/v1/device/status', { proof: await device.proof('device.status') });
  expect(response.status).toBe(200);
  return response.body.status;
}

export interface PageResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly html: string;
}

/** The hidden CSRF token of the page's forms. */
export function csrfOf(page: PageResponse): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page.html);
  if (match?.[1] === undefined) throw new Error(`no CSRF token on the page (HTTP ${page.status}): ${page.html.slice(0, 400)}`);
  return match[1];
}

/** A phone's browser without the browser: keeps the page's cookie, sends forms, never follows redirects. */
export class PageClient {
  readonly baseUrl: string;
  readonly sourceAddress: string;
  readonly language: string;
  cookie: string | undefined;

  constructor(baseUrl: string, options: { sourceAddress?: string; language?: string } = {}) {
    this.baseUrl = baseUrl;
    this.sourceAddress = options.sourceAddress ?? '127.0.0.1';
    this.language = options.language ?? 'en';
  }

  get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** Fields as a record, or a raw body (for malformed forms). */
  post(path: string, fields: Record<string, string> | string, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
    return this.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.baseUrl).origin, ...headers });
  }

  /** Logs in on the page; the server answers 303 back to the approval URL, which is fetched. */
  async logIn(code: string, agent: { username: string; password: string }, otp: string): Promise<PageResponse> {
    const response = await this.post('/pair/login', { code, username: agent.username, password: agent.password, otp });
    if (response.status !== 303) return response;
    const location = response.headers.location;
    if (location === undefined) throw new Error('login redirected nowhere');
    return this.get(location);
  }

  request(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<PageResponse> {
    const allHeaders: Record<string, string> = { 'accept-language': this.language, ...headers };
    if (this.cookie !== undefined) allHeaders.cookie = this.cookie;
    return new Promise((resolve, reject) => {
      const request = http.request(`${this.baseUrl}${path}`, { method, headers: allHeaders, localAddress: this.sourceAddress }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          this.#keepCookie(response.headers['set-cookie']);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, html: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  #keepCookie(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = ''] = line.split(';');
      this.cookie = /Max-Age=0(;|$)/i.test(line) ? undefined : pair;
    }
  }
}
