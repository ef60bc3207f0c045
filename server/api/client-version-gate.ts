/**
 * The oldest desktop app the server still serves (SPORTELLO_MIN_CLIENT_VERSION). Every request to
 * the client API, the event socket's upgrade included, carries the app's version in a header; one
 * older than the minimum, or with none (apps from before the header), is refused with
 * `client_outdated` (426) and the app shows "update the app". The OpenAPI document and nonces stay
 * open, and the device status answers an outdated app that it was revoked, so that it still wipes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_API } from '../../common/api/client-api.js';
import { AppVersion, CLIENT_VERSION_HEADER, compareVersions } from '../../common/api/client-version.js';
import { CodedError } from '../../common/errors/coded-error.js';

/** Paths the gate lets through: they carry nothing an old app could misread. */
const OPEN_PATHS = new Set<string>(['/v1/openapi.json', CLIENT_API.nonce.url, CLIENT_API.deviceStatus.url]);

export class ClientVersionGate {
  readonly minimum: string | undefined;

  constructor(minimum: string | undefined) {
    this.minimum = minimum;
  }

  /** The onRequest hook of the client API's scope. */
  readonly onRequest = (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    try {
      if (!OPEN_PATHS.has(request.url.split('?')[0] ?? '')) this.check(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  /** Refuses the request when its app is older than the minimum. */
  check(request: FastifyRequest): void {
    const { minimum } = this;
    if (minimum === undefined) return;
    const header = request.headers[CLIENT_VERSION_HEADER];
    let version: string | undefined;
    if (header !== undefined) {
      const parsed = AppVersion.safeParse(header);
      if (!parsed.success) throw new CodedError('invalid_request', `The ${CLIENT_VERSION_HEADER} header ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
      version = parsed.data;
    }
    if (version !== undefined && compareVersions(version, minimum) >= 0) return;
    throw new CodedError(
      'client_outdated',
      `This version of Sportello${version === undefined ? '' : ` (${version})`} is older than ${minimum}, the oldest the company's server accepts: install the update IT provides, then start Sportello again.`,
      { minimumVersion: minimum, clientVersion: version ?? null },
    );
  }
}
