/**
 * Meta's webhook endpoint. A POST is acknowledged (200) only once what it carried is committed
 * to disk; anything else makes Meta deliver it again, which the store absorbs as a duplicate.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import secureJson from 'secure-json-parse';
import { z } from 'zod';
import { isValidWebhookSignature, SIGNATURE_HEADER } from '../cloud-api/webhook-signature.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter } from '../store/group-commit.js';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '../store/store-unavailable.js';
import type { TeamFilling } from '../inbox/team-filling.js';
import { applyWebhook } from './apply-webhook.js';
import type { CustomerWrote } from './apply-message.js';
import type { AppliedWebhook } from './apply-webhook.js';
import type { SafetyActionEntry } from '../safety/safety-actions.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import { codeRequestsToWarn } from './code-request-warnings.js';
import { redactWebhookCards } from './redact-webhook-cards.js';
import { normalizeWebhook } from './normalize-webhook.js';
import type { UnknownNumberReason } from '../numbers/business-numbers.js';

/** Meta's documented maximum payload. */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;
export const WEBHOOK_PATH = '/webhooks/whatsapp';

/** Which app secrets may sign, and which numbers each app's webhooks are applied to. */
export interface WebhookNumbers {
  appSecrets(): readonly string[];
  route(phoneNumberId: string, signedWith: string): { unknown: UnknownNumberReason } | object;
}

export interface WebhookRouteDeps {
  readonly numbers: WebhookNumbers;
  readonly verifyToken: string;
  readonly committer: GroupCommitter;
  readonly metrics: ServerMetrics;
  /** Called after a webhook committed; e.g. to wake the media downloader. */
  readonly onApplied?: (applied: AppliedWebhook) => void;
  /** Store work in the webhook's transaction for each customer's own message stored (the away message's scheduling). */
  readonly customerWrote?: CustomerWrote;
  /** Who gets the conversations that begin (server/routing/). */
  readonly routing?: TeamFilling;
  /** The safety policy (read only when a message asks for a code), and the count of what the rules did once committed. */
  readonly safety?: { readonly policy: () => Promise<SafetyPolicy>; readonly counted: (entry: Pick<SafetyActionEntry, 'rule' | 'action'>) => void };
  readonly now?: () => number;
}

const VerificationQuery = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().max(1024).optional(),
});

export function webhookRoutes(deps: WebhookRouteDeps) {
  const now = deps.now ?? Date.now;
  const verifyTokenDigest = digest(deps.verifyToken);

  return function register(app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
    // The signature covers the raw bytes: take every body as a Buffer and parse JSON ourselves.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, parsed) => parsed(null, body));

    app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      if (error.statusCode === 413) {
        deps.metrics.webhookRequests.inc({ outcome: 'rejected_too_large' });
        return sendError(reply, 413, 'webhook_too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`);
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        deps.metrics.webhookRequests.inc({ outcome: 'rejected_malformed' });
        return sendError(reply, error.statusCode, 'webhook_malformed', 'The webhook request could not be read.');
      }
      if (isStoreUnavailable(error)) {
        deps.metrics.webhookRequests.inc({ outcome: 'store_unavailable' });
        request.log.warn({ code: error.code }, 'webhook not stored: the store is unavailable; Meta will deliver it again');
        reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
        return sendError(reply, 503, 'store_unavailable', 'The store is unavailable just now; the webhook will be accepted on redelivery.');
      }
      deps.metrics.webhookRequests.inc({ outcome: 'error' });
      request.log.error({ err: error }, 'webhook not stored; Meta will deliver it again');
      return sendError(reply, 500, 'webhook_not_stored', 'The webhook could not be stored; it will be accepted on redelivery.');
    });

    app.get(WEBHOOK_PATH, (request, reply) => {
      const query = VerificationQuery.safeParse(request.query);
      if (!query.success) return sendError(reply, 400, 'verification_malformed', 'The verification request has malformed parameters.');
      const token = query.data['hub.verify_token'];
      const challenge = query.data['hub.challenge'];
      const tokenMatches = token !== undefined && crypto.timingSafeEqual(digest(token), verifyTokenDigest);
      if (query.data['hub.mode'] !== 'subscribe' || !tokenMatches) {
        request.log.warn('webhook verification refused: wrong mode or verify token');
        return sendError(reply, 403, 'verification_refused', 'Wrong hub.mode or hub.verify_token.');
      }
      if (challenge === undefined) return sendError(reply, 400, 'verification_malformed', 'hub.challenge is missing.');
      request.log.info('webhook verification accepted');
      return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(challenge);
    });

    app.post(WEBHOOK_PATH, { bodyLimit: MAX_WEBHOOK_BYTES }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers[SIGNATURE_HEADER];
      const given = typeof signature === 'string' ? signature : undefined;
      // One app's secret signed it: which one decides the numbers it may speak for.
      const signedWith = deps.numbers.appSecrets().find((secret) => isValidWebhookSignature(raw, given, secret));
      if (signedWith === undefined) {
        deps.metrics.webhookRequests.inc({ outcome: 'rejected_signature' });
        request.log.warn({ hasSignature: signature !== undefined }, 'webhook refused: bad signature');
        return sendError(reply, 401, 'signature_invalid', 'X-Hub-Signature-256 is missing or does not match the body.');
      }
      // Card numbers are masked before the body is parsed, so nothing below ever holds their digits.
      const { text, cardsRedacted } = redactWebhookCards(raw.toString('utf8'));
      let body: unknown;
      try {
        body = secureJson.parse(text, null, { protoAction: 'remove', constructorAction: 'remove' });
      } catch {
        deps.metrics.webhookRequests.inc({ outcome: 'rejected_malformed' });
        return sendError(reply, 400, 'webhook_not_json', 'The webhook body is not JSON.');
      }
      const started = performance.now();
      const records = normalizeWebhook(body, text, now(), (phoneNumberId) => {
        const routed = deps.numbers.route(phoneNumberId, signedWith);
        return 'unknown' in routed ? routed.unknown : undefined;
      });
      const codeRequests = await codeRequestsToWarn(records, deps.safety?.policy);
      // Replayable: applying touches nothing but the store, so the committer may run it again.
      const applied = await deps.committer.submit(
        (trx) => applyWebhook(trx, records, now(), { customerWrote: deps.customerWrote, routing: deps.routing, codeRequests, cardsMasked: cardsRedacted }),
        {
          replayable: true,
        },
      );
      deps.metrics.webhookAckSeconds.observe((performance.now() - started) / 1000);
      deps.metrics.webhookRequests.inc({ outcome: applied.outcome });
      for (const message of applied.messages) deps.metrics.messagesStored.inc(message);
      if (applied.outcome === 'quarantined') request.log.warn('webhook of an unexpected shape kept in quarantine');
      for (const reason of applied.unknownNumbers) deps.metrics.webhookUnknownNumber.inc({ reason });
      if (applied.unknownNumbers.length > 0)
        request.log.warn({ reasons: applied.unknownNumbers }, 'webhook for a number this server does not serve kept for admins');
      deps.onApplied?.(applied);
      for (let warned = 0; warned < applied.codeWarnings; warned += 1) deps.safety?.counted({ rule: 'codes', action: 'warned' });
      for (let card = 0; card < applied.cardsMasked; card += 1) deps.safety?.counted({ rule: 'cards', action: 'redacted' });
      for (let consent = 0; consent < applied.consents; consent += 1) deps.safety?.counted({ rule: 'personal_data', action: 'consent_recorded' });
      return reply.code(200).type('text/plain; charset=utf-8').send('OK');
    });
    done();
  };
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}
