/**
 * The stand-in's Block Users API (POST / DELETE /{phone-number-id}/block_users), answering as
 * Meta does (docs/customer-blocks.md): per user, added_users / removed_users on success, and on a
 * partial or whole failure a 400 with failed_users and error 139100. Meta's rules held: a user
 * can be blocked only if they wrote to the number in the last 24 hours (131047), a number cannot
 * block itself (131021), at most 1,000 users a request. A number listed as unsupported answers
 * Graph's "does not support this operation" (100, subcode 33), as an API without the edge would.
 * A message to a user the number blocked is refused with 130403.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SERVICE_WINDOW_MS } from '../inbox/conversations.js';
import type { GraphError, StandInNumber } from './graph-stand-in.js';

/** Meta's refusal of a message to a user the business number has blocked. */
export const BLOCKED_USER_ERROR: GraphError = {
  httpStatus: 400,
  code: 130403,
  message: '(#130403) Unable to deliver the message',
  details: 'Unable to deliver the message. This business has blocked the end user on WhatsApp',
};

const MAX_USERS = 1000;

/** Who each number blocked: `phoneNumberId` → the wa_ids. */
export class StandInBlockList {
  readonly #blocked = new Map<string, Set<string>>();

  isBlocked(phoneNumberId: string, user: string): boolean {
    return this.#blocked.get(phoneNumberId)?.has(normalized(user)) === true;
  }

  /** The users the number blocks now. */
  blockedBy(phoneNumberId: string): string[] {
    return [...(this.#blocked.get(phoneNumberId) ?? [])].sort();
  }

  add(phoneNumberId: string, user: string): void {
    let users = this.#blocked.get(phoneNumberId);
    if (users === undefined) this.#blocked.set(phoneNumberId, (users = new Set()));
    users.add(normalized(user));
  }

  remove(phoneNumberId: string, user: string): void {
    this.#blocked.get(phoneNumberId)?.delete(normalized(user));
  }
}

/** A phone number as a wa_id: digits only (`+39 347…` and `39347…` are one user). */
function normalized(user: string): string {
  return user.replace(/\D/g, '');
}

export interface BlockUsersRouteDeps {
  readonly blocks: StandInBlockList;
  /** The number the call is for, if it exists and the token is its own (else Meta's error is sent). */
  readonly numberFor: (phoneNumberId: string, authorization: string | undefined, reply: FastifyReply) => StandInNumber | undefined;
  /** When the user last wrote (to any number of the stand-in), if they did. */
  readonly lastInbound: (user: string) => number | undefined;
  readonly unsupportedNumbers: readonly string[];
  readonly now: () => number;
  readonly error: (reply: FastifyReply, error: GraphError) => FastifyReply;
}

interface UserResult {
  readonly input: string;
  readonly wa_id?: string;
  readonly errors?: ReadonlyArray<{ readonly message: string; readonly code: number; readonly error_data: { readonly details: string } }>;
}

export function registerBlockUsers(app: FastifyInstance, deps: BlockUsersRouteDeps): void {
  const handle =
    (action: 'block' | 'unblock') =>
    (request: { params: { phoneNumberId: string }; body: unknown; headers: { authorization?: string } }, reply: FastifyReply) => {
      const number = deps.numberFor(request.params.phoneNumberId, request.headers.authorization, reply);
      if (number === undefined) return reply;
      const phoneNumberId = number.business.phoneNumberId;
      if (deps.unsupportedNumbers.includes(phoneNumberId)) {
        return deps.error(reply, {
          httpStatus: 400,
          code: 100,
          message: `(#100) Unsupported ${action === 'block' ? 'post' : 'delete'} request. Object with ID '${phoneNumberId}' does not support this operation`,
        });
      }
      const body = request.body as { messaging_product?: unknown; block_users?: unknown } | null;
      const users = Array.isArray(body?.block_users) ? (body.block_users as unknown[]) : undefined;
      if (body?.messaging_product !== 'whatsapp' || users === undefined || users.length === 0) {
        return deps.error(reply, { httpStatus: 400, code: 100, message: '(#100) messaging_product and block_users are required.' });
      }
      if (users.length > MAX_USERS)
        return deps.error(reply, { httpStatus: 400, code: 130429, message: '(#130429) Rate limit hit', details: 'Too many users in one request.' });
      const done: UserResult[] = [];
      const failed: UserResult[] = [];
      for (const entry of users) {
        const input = typeof (entry as { user?: unknown }).user === 'string' ? (entry as { user: string }).user : '';
        const waId = normalized(input);
        const refusal = action === 'block' ? blockRefusal(deps, number, waId) : undefined;
        if (refusal !== undefined) {
          failed.push({ input, ...(waId === '' ? {} : { wa_id: waId }), errors: [refusal] });
          continue;
        }
        if (action === 'block') deps.blocks.add(phoneNumberId, waId);
        else deps.blocks.remove(phoneNumberId, waId);
        done.push({ input, wa_id: waId });
      }
      const lists = { [action === 'block' ? 'added_users' : 'removed_users']: done, ...(failed.length === 0 ? {} : { failed_users: failed }) };
      if (failed.length === 0) return reply.send({ messaging_product: 'whatsapp', block_users: lists });
      return reply.code(400).send({
        messaging_product: 'whatsapp',
        block_users: lists,
        error: {
          message: '(#139100) Failed to block/unblock users',
          type: 'OAuthException',
          code: 139100,
          error_data: { details: 'Failed to block some users, see the block_users response list for details' },
          fbtrace_id: crypto.randomBytes(9).toString('base64url'),
        },
      });
    };
  app.post<{ Params: { version: string; phoneNumberId: string } }>('/:version/:phoneNumberId/block_users', handle('block'));
  app.delete<{ Params: { version: string; phoneNumberId: string } }>('/:version/:phoneNumberId/block_users', handle('unblock'));
}

function blockRefusal(deps: BlockUsersRouteDeps, number: StandInNumber, waId: string) {
  if (waId === normalized(number.business.displayPhoneNumber)) {
    return { message: 'Self Block', code: 131021, error_data: { details: 'Failed to block self phone number.' } };
  }
  const last = waId === '' ? undefined : deps.lastInbound(waId);
  if (last === undefined || deps.now() - last >= SERVICE_WINDOW_MS) {
    return { message: 'Re-engagement required', code: 131047, error_data: { details: 'User has not messaged in the last 24 hours' } };
  }
  return undefined;
}
