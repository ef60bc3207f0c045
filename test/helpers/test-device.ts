/**
 * A workstation as the server sees it, for tests: a machine ID, an Ed25519 key, and calls to the
 * client API that carry device proofs. The real client lives in main/; this one is deliberately
 * small so the server's tests do not depend on it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
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

  /** `machineId`: claim another workstation's ID (anyone can: the app's HMAC key is no secret). */
  constructor(target: DeviceTarget, options: { hostname?: string; sourceAddress?: string; machineId?: string } = {}) {
    this.baseUrl = typeof target === 'string' ? target : '';
    this.#app = typeof target === 'string' ? undefined : target;
    this.sourceAddress = options.sourceAddress ?? '127.0.0.1';
    this.machineId = options.machineId ?? crypto.randomBytes(32).toString('hex');
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    this.#privateKey = privateKey;
    this.publicKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
    this.hostname = options.hostname ?? `ws-${this.machineId.slice(0, 6)}`;
  }

  call<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (this.clientVersion !== undefined) headers[CLIENT_VERSION_HEADER] = this.clientVersion;
    if (this.#app !== undefined) return this.#inject(this.#app, method, path, headers, payload);
    return new Promise((resolve, reject) => {
      const request = http.request(`${this.baseUrl}${path}`, { method, headers, localAddress: this.sourceAddress }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve(parsedResponse<T>(method, path, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  async #inject<T>(app: Pick<FastifyInstance, 'inject'>, method: string, path: string, headers: Record<string, string>, payload: Buffer | undefined): Promise<ApiResponse<T>> {
    const response = await app.inject({ method, url: path, headers, payload, remoteAddress: this.sourceAddress });
    return parsedResponse<T>(method, path, response.statusCode, response.body);
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
    return this.call<{ pairingId: number; code: string; approvalUrl: string; keyFingerprint: string; codeExpiresAt: number; expiresAt: number }>('POST', '/v1/pairings', {
      machineId: this.machineId,
      publicKey: this.publicKey,
      hostname: this.hostname,
      os: 'Linux 6.1 (test)',
      appVersion: '0.1.0',
      storageBackend: this.storageBackend,
      ...(options.proven === true ? { proof: await this.proof('pairing.request') } : {}),
    });
  }

  async login<T = SessionGrant>(username: string, password: string, secondFactor: { kind: 'totp' | 'recovery'; code: string }) {
    return this.call<T>('POST', '/v1/sessions', { username, password, secondFactor, proof: await this.proof('login', username) });
  }
}

function parsedResponse<T>(method: string, path: string, status: number, text: string): ApiResponse<T> {
  try {
    return { status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  } catch (error) {
    throw new Error(`${method} ${path}: HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`, { cause: error });
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
