/**
 * A workstation as the server sees it, for tests: a machine ID, an Ed25519 key, and calls to the
 * client API that carry device proofs. The real client lives in main/; this one is deliberately
 * small so the server's tests do not depend on it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import { CLIENT_VERSION_HEADER } from '../../common/api/client-version.js';
import { deviceProofMessage } from '../../common/api/device-proof.js';
import type { DeviceProof, ProofPurpose } from '../../common/api/device-proof.js';
import type { SessionGrant } from '../../common/api/session.js';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** Where a device's requests go: a listening server's base URL, or a built server's app (through `inject`, on no port). */
export type DeviceTarget = string | Pick<FastifyInstance, 'inject'>;

/** An answer as it came: status, headers and the body's bytes (a file download, say). */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly bytes: Buffer;
}

export class TestDevice {
  readonly machineId: string;
  readonly publicKey: string;
  readonly #privateKey: crypto.KeyObject;
  /** Where the server listens; a test that restarts the server points the same workstation at it again. */
  baseUrl: string;
  /** Set for a server that does not listen: requests are injected into its app instead. */
  readonly #app: Pick<FastifyInstance, 'inject'> | undefined;
  hostname: string;
  storageBackend = 'gnome_libsecret';
  /** The loopback address requests come from (127.0.0.0/8), so tests can act as separate hosts. */
  sourceAddress: string;
  /** Sent as the app's version header when set (the desktop app always sends it). */
  clientVersion: string | undefined;
  /** The PEM certificate an https server is trusted by (a test server started with TLS). */
  readonly trustedCertificate: string | undefined;
  /** Sent as X-Forwarded-For when set: the device behind a proxy (or a client claiming to be). */
  forwardedFor: string | undefined = undefined;

  /** `machineId`: claim another workstation's ID (anyone can: the app's HMAC key is no secret). */
  constructor(target: DeviceTarget, options: { hostname?: string; sourceAddress?: string; machineId?: string; trustedCertificate?: string } = {}) {
    this.baseUrl = typeof target === 'string' ? target : '';
    this.#app = typeof target === 'string' ? undefined : target;
    this.trustedCertificate = options.trustedCertificate;
    this.sourceAddress = options.sourceAddress ?? '127.0.0.1';
    this.machineId = options.machineId ?? crypto.randomBytes(32).toString('hex');
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    this.#privateKey = privateKey;
    this.publicKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
    this.hostname = options.hostname ?? `ws-${this.machineId.slice(0, 6)}`;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const response = await this.request(method, path, { token, ...(payload === undefined ? {} : { body: payload, contentType: 'application/json' }) });
    const text = response.bytes.toString('utf8');
    try {
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    } catch (error) {
      throw new Error(`${method} ${path}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, { cause: error });
    }
  }

  /** A request with any body (an upload's bytes), answered as it came; over https when the server is, injected when it does not listen. */
  async request(method: string, path: string, options: { body?: Buffer; contentType?: string; token?: string } = {}): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      headers['content-length'] = String(options.body.length);
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (this.clientVersion !== undefined) headers[CLIENT_VERSION_HEADER] = this.clientVersion;
    if (this.forwardedFor !== undefined) headers['x-forwarded-for'] = this.forwardedFor;
    if (this.#app !== undefined) {
      const injected = await this.#app.inject({ method: method as 'GET', url: path, headers, payload: options.body, remoteAddress: this.sourceAddress });
      return { status: injected.statusCode, headers: injected.headers as http.IncomingHttpHeaders, bytes: injected.rawPayload };
    }
    const url = `${this.baseUrl}${path}`;
    return new Promise((resolve, reject) => {
      const answer = (response: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
      };
      const request = url.startsWith('https:')
        ? https.request(url, { method, headers, localAddress: this.sourceAddress, ca: this.trustedCertificate }, answer)
        : http.request(url, { method, headers, localAddress: this.sourceAddress }, answer);
      request.on('error', reject);
      request.end(options.body);
    });
  }

  async proof(purpose: ProofPurpose, binding = ''): Promise<DeviceProof> {
    const nonce = await this.call<{ nonce: string }>('POST', '/v1/auth/nonce');
    if (nonce.status !== 200) throw new Error(`nonce: ${nonce.status} ${JSON.stringify(nonce.body)}`);
    const message = Buffer.from(deviceProofMessage(purpose, this.machineId, nonce.body.nonce, binding), 'utf8');
    const signature = crypto.sign(null, message, this.#privateKey).toString('base64url');
    return { machineId: this.machineId, nonce: nonce.body.nonce, signature };
  }

  /** `proven`: signed with this device's key, as the desktop client asks (the same install asking again). */
  async requestPairing(options: { proven?: boolean } = {}) {
    return this.call<{ pairingId: number; code: string; approvalUrl: string; keyFingerprint: string; codeExpiresAt: number; expiresAt: number }>(
      'POST',
      '/v1/pairings',
      {
        machineId: this.machineId,
        publicKey: this.publicKey,
        hostname: this.hostname,
        os: 'Linux 6.1 (test)',
        appVersion: '0.1.0',
        storageBackend: this.storageBackend,
        ...(options.proven === true ? { proof: await this.proof('pairing.request') } : {}),
      },
    );
  }

  async login<T = SessionGrant>(username: string, password: string, secondFactor: { kind: 'totp' | 'recovery'; code: string }) {
    return this.call<T>('POST', '/v1/sessions', { username, password, secondFactor, proof: await this.proof('login', username) });
  }
}

/** The current code of an otpauth URI's secret (what the agent's phone would show). */
export async function totpNow(secret: string, atMs = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(atMs / 1000), period: 30, digits: 6, algorithm: 'sha1' });
}

export function secretOfUri(uri: string): string {
  const secret = new URL(uri).searchParams.get('secret');
  if (secret === null) throw new Error(`no secret in ${uri}`);
  return secret;
}
