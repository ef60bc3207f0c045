/**
 * A local stand-in for Meta's Graph API, for `npm start`, the tests and the benchmarks: the
 * endpoints the server uses (messages, media upload, lookup and download, delete) with Meta's
 * response and error shapes, Meta's refusals (131047 outside the window, 130429 past the
 * throughput, 131056 past the pair rate, 190 for a wrong token, 130403 to a user the number
 * blocked), its Block Users API (block-users-stand-in.ts) and status webhooks for what it accepted. It listens on loopback only.
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MediaKind } from '../../common/attachments/media-limits.js';
import { baseMimeType, isSendableMimeType, MEDIA_KINDS, maxBytesFor } from '../../common/attachments/media-limits.js';
import { SERVICE_WINDOW_MS } from '../inbox/conversations.js';
import { SlidingWindowLimiter } from '../sending/sliding-window-limiter.js';
import { BLOCKED_USER_ERROR, registerBlockUsers, StandInBlockList } from './block-users-stand-in.js';
import { headerMediaRefusal, StandInTemplates } from './template-stand-in.js';
import type { SandboxBusiness, SandboxStatus } from './webhook-builder.js';
import { newWamid, statusWebhook } from './webhook-builder.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

export interface GraphError {
  readonly httpStatus: number;
  readonly code: number;
  readonly message: string;
  readonly details?: string;
}

/** A fault a test asks for: Meta's error, a bare HTTP failure (a proxy's 502), or a dropped connection. */
export type InjectedFault = GraphError | { readonly httpStatus: number; readonly rawBody: string } | 'network';

/** A typing indicator the stand-in was asked to show (with its mark-as-read), and the customer it showed to, when known. */
export interface TypingIndicatorShown {
  readonly phoneNumberId: string;
  readonly wamid: string;
  /** The customer whose message it marked (their wa_id), when the stand-in saw that message come in. */
  readonly customer: string | undefined;
  readonly at: number;
}

/** How long WhatsApp shows "typing…" unless the business replies first. */
export const TYPING_SHOWN_MS = 25_000;

export interface AcceptedMessage {
  readonly wamid: string;
  /** The business number it was sent from. */
  readonly from: string;
  readonly to: string | undefined;
  readonly recipient: string | undefined;
  readonly type: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

/** A number the stand-in serves, with the token that may send from it. */
export interface StandInNumber {
  readonly business: SandboxBusiness;
  readonly accessToken: string;
}

export interface GraphStandInOptions {
  /** Every number it serves; Meta's throughput limit holds per number. */
  readonly numbers: readonly StandInNumber[];
  readonly messagesPerSecond?: number;
  readonly pairBurst?: number;
  readonly pairIntervalMs?: number;
  /** Delays of the status webhooks after an accepted send (ms); empty: none sent. */
  readonly statusDelaysMs?: Partial<Record<Exclude<SandboxStatus, 'failed'>, number>>;
  readonly templates?: ReadonlyArray<{ name: string; languages: readonly string[] }>;
  /** Numbers whose API has no block_users: the call answers Graph's "does not support this operation". */
  readonly blockUsersUnsupported?: readonly string[];
  readonly now?: () => number;
}

interface StoredMedia {
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly sha256Hex: string;
}

const FREE_FORM_TYPES = new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'reaction', 'interactive', 'location', 'contacts']);
const URL_LIFETIME_MS = 5 * 60 * 1000;

export class GraphStandIn {
  readonly app: FastifyInstance;
  /** Every message Meta's stand-in accepted, in order: what reached "WhatsApp". */
  readonly accepted: AcceptedMessage[] = [];
  readonly readReceipts: string[] = [];
  /** Every typing indicator asked for, in order. */
  readonly typingIndicators: TypingIndicatorShown[] = [];
  /** Whom each number blocked through block_users. */
  readonly blocks = new StandInBlockList();
  /** The accounts' message templates (server/sandbox/template-stand-in.ts). */
  readonly templates = new StandInTemplates();
  readonly #options: GraphStandInOptions;
  /** Customers' messages as they came in: wamid → who sent it, to which number. */
  readonly #inboundMessages = new Map<string, { readonly customer: string; readonly phoneNumberId: string }>();
  /** "typing…" on a customer's phone, per number: `phoneNumberId:waId` → until when. */
  readonly #typingUntil = new Map<string, number>();
  readonly #now: () => number;
  readonly #media = new Map<string, StoredMedia>();
  readonly #lastInbound = new Map<string, number>();
  /** Per number: Meta's throughput limit is each number's own. */
  readonly #throughput = new Map<string, SlidingWindowLimiter>();
  readonly #pair = new Map<string, SlidingWindowLimiter>();
  readonly #tokens: ReadonlySet<string>;
  readonly #faults: InjectedFault[] = [];
  readonly #urlKey = crypto.randomBytes(32);
  readonly #statusTimers = new Set<NodeJS.Timeout>();
  #webhooks: WebhookDeliverer | undefined;
  #origin = '';
  #calls = 0;

  constructor(options: GraphStandInOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    const rate = options.messagesPerSecond ?? 80;
    const limit = Math.max(1, Math.round(rate));
    for (const number of options.numbers) this.#throughput.set(number.business.phoneNumberId, new SlidingWindowLimiter(limit, (1000 * limit) / rate));
    this.#tokens = new Set(options.numbers.map((number) => `Bearer ${number.accessToken}`));
    this.app = Fastify({ logger: false, bodyLimit: 110 * 1024 * 1024 });
    this.#routes();
  }

  /** Listens on 127.0.0.1 (never another interface); returns the base URL for GRAPH_API_URL. */
  async listen(port = 0): Promise<string> {
    const address = await this.app.listen({ host: '127.0.0.1', port });
    this.#origin = address.replace('localhost', '127.0.0.1');
    return this.#origin;
  }

  async close(): Promise<void> {
    for (const timer of this.#statusTimers) clearTimeout(timer);
    this.#statusTimers.clear();
    await this.app.close();
  }

  /** Meta's review changed a template's status: the list says so, and its webhook goes where status webhooks go. */
  async setTemplateStatus(id: string, status: string, reason?: Parameters<StandInTemplates['setStatus']>[4]): Promise<void> {
    const business = this.#options.numbers[0]?.business;
    if (this.#webhooks === undefined || business === undefined) throw new Error('the stand-in delivers no webhooks yet');
    await this.templates.setStatus(this.#webhooks, business.wabaId, id, status, reason);
  }

  /** Where status webhooks for accepted sends go (the server's webhook endpoint). */
  deliverStatusesTo(deliverer: WebhookDeliverer): void {
    this.#webhooks = deliverer;
  }

  /** A customer wrote at `at`: free-form replies are allowed for 24 hours. */
  noteInbound(recipient: string, at: number): void {
    this.#lastInbound.set(recipient, Math.max(at, this.#lastInbound.get(recipient) ?? 0));
  }

  /** A customer's message as it leaves their phone: a typing indicator marking it shows on that phone. */
  noteInboundMessage(wamid: string, customer: string, phoneNumberId: string): void {
    this.#inboundMessages.set(wamid, { customer, phoneNumberId });
  }

  /** Whether the customer's phone shows the business typing in their chat with this number (until a reply, or 25 s). */
  typingShownTo(customer: string, phoneNumberId: string): boolean {
    return (this.#typingUntil.get(`${phoneNumberId}:${customer}`) ?? 0) > this.#now();
  }

  /**
   * Media a simulated customer sends; returns its media id. `announcedSha256Hex` makes the lookup
   * announce another checksum than the bytes have (a corrupted transfer, as far as the server knows).
   */
  addMedia(bytes: Buffer, mimeType: string, options: { announcedSha256Hex?: string } = {}): { id: string; sha256Base64: string } {
    const id = newMediaId();
    const digest = crypto.createHash('sha256').update(bytes).digest();
    this.#media.set(id, { bytes, mimeType, sha256Hex: options.announcedSha256Hex ?? digest.toString('hex') });
    return { id, sha256Base64: digest.toString('base64') };
  }

  /** Graph API calls answered so far (media downloads aside): tests count retries with it. */
  get callCount(): number {
    return this.#calls;
  }

  /** The next calls fail this way, in order. */
  injectFaults(...faults: InjectedFault[]): void {
    this.#faults.push(...faults);
  }

  #pairLimiter(recipient: string): SlidingWindowLimiter {
    let limiter = this.#pair.get(recipient);
    if (limiter === undefined) {
      const burst = this.#options.pairBurst ?? 10;
      limiter = new SlidingWindowLimiter(burst, burst * (this.#options.pairIntervalMs ?? 6000));
      this.#pair.set(recipient, limiter);
    }
    return limiter;
  }

  #routes(): void {
    const app = this.app;
    app.addContentTypeParser(/^multipart\/form-data/, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/sandbox-media/')) return;
      this.#calls += 1;
      if (!this.#tokens.has(request.headers.authorization ?? '')) {
        return graphError(reply, { httpStatus: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
      }
      const fault = this.#faults.shift();
      if (fault === 'network') {
        request.raw.socket.destroy();
        return reply;
      }
      if (fault !== undefined && 'rawBody' in fault) return reply.code(fault.httpStatus).type('text/html').send(fault.rawBody);
      if (fault !== undefined) return graphError(reply, fault);
      return undefined;
    });

    app.post<{ Params: { version: string; phoneNumberId: string }; Body: unknown }>('/:version/:phoneNumberId/messages', (request, reply) => {
      const number = this.#numberFor(request.params.phoneNumberId, request.headers.authorization, reply);
      if (number === undefined) return reply;
      const body = request.body;
      if (typeof body !== 'object' || body === null || (body as Record<string, unknown>).messaging_product !== 'whatsapp') {
        return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) The parameter messaging_product is required.' });
      }
      const message = body as Record<string, unknown>;
      if (message.status === 'read') return this.#markRead(number.business, message, reply);
      return this.#send(number.business, message, reply);
    });

    this.templates.register(app, () => new Set(this.#options.numbers.map((number) => number.business.wabaId)));
    registerBlockUsers(app, {
      blocks: this.blocks,
      numberFor: (phoneNumberId, authorization, reply) => this.#numberFor(phoneNumberId, authorization, reply),
      lastInbound: (user) => this.#lastInbound.get(user),
      unsupportedNumbers: this.#options.blockUsersUnsupported ?? [],
      now: this.#now,
      error: graphError,
    });

    app.post<{ Params: { version: string; phoneNumberId: string } }>('/:version/:phoneNumberId/media', async (request, reply) => {
      if (this.#numberFor(request.params.phoneNumberId, request.headers.authorization, reply) === undefined) return reply;
      const contentType = request.headers['content-type'] ?? '';
      if (!Buffer.isBuffer(request.body) || !contentType.startsWith('multipart/form-data')) {
        return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) Upload a file as multipart/form-data.' });
      }
      const form = await new Response(request.body, { headers: { 'content-type': contentType } }).formData();
      const file = form.get('file');
      const declaredType = form.get('type');
      if (form.get('messaging_product') !== 'whatsapp' || !(file instanceof Blob) || typeof declaredType !== 'string') {
        return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) messaging_product, file and type are required.' });
      }
      const mimeType = baseMimeType(declaredType);
      const kind = MEDIA_KINDS.find((k) => isSendableMimeType(k, mimeType));
      const bytes = Buffer.from(await file.arrayBuffer());
      if (kind === undefined || bytes.length > maxBytesFor(kind)) {
        return graphError(reply, {
          httpStatus: 400,
          code: 131053,
          message: 'Media upload error',
          details: `Unsupported or oversized media: ${mimeType}, ${bytes.length} bytes.`,
        });
      }
      const id = newMediaId();
      this.#media.set(id, { bytes, mimeType, sha256Hex: crypto.createHash('sha256').update(bytes).digest('hex') });
      return reply.send({ id });
    });

    app.get<{ Params: { version: string; mediaId: string } }>('/:version/:mediaId', (request, reply) => {
      const media = this.#media.get(request.params.mediaId);
      if (media === undefined) {
        return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) Invalid parameter', details: 'Unknown or expired media id.' });
      }
      const expires = this.#now() + URL_LIFETIME_MS;
      const signature = this.#urlSignature(request.params.mediaId, expires);
      return reply.send({
        messaging_product: 'whatsapp',
        url: `${this.#origin}/sandbox-media/${request.params.mediaId}?expires=${expires}&signature=${signature}`,
        mime_type: media.mimeType,
        sha256: media.sha256Hex,
        file_size: String(media.bytes.length),
        id: request.params.mediaId,
      });
    });

    app.delete<{ Params: { version: string; mediaId: string } }>('/:version/:mediaId', (request, reply) => {
      const deleted = this.#media.delete(request.params.mediaId);
      if (!deleted) return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) Invalid parameter' });
      return reply.send({ success: true });
    });

    app.get<{ Params: { mediaId: string }; Querystring: { expires?: string; signature?: string } }>('/sandbox-media/:mediaId', (request, reply) => {
      if (!this.#tokens.has(request.headers.authorization ?? '')) return reply.code(401).send('Unauthorized');
      const expires = Number(request.query.expires);
      const media = this.#media.get(request.params.mediaId);
      const valid =
        media !== undefined &&
        Number.isFinite(expires) &&
        expires > this.#now() &&
        request.query.signature === this.#urlSignature(request.params.mediaId, expires);
      if (!valid) return reply.code(404).send('URL expired or unknown');
      return reply.type(media.mimeType).send(media.bytes);
    });
  }

  /** The number a call sends from, when it exists and the token is that number's own (else Meta's error is sent). */
  #numberFor(phoneNumberId: string, authorization: string | undefined, reply: FastifyReply): StandInNumber | undefined {
    const number = this.#options.numbers.find((n) => n.business.phoneNumberId === phoneNumberId);
    if (number === undefined) {
      graphError(reply, { httpStatus: 400, code: 100, message: '(#100) Invalid parameter', details: 'Unknown phone number id.' });
      return undefined;
    }
    if (authorization !== `Bearer ${number.accessToken}`) {
      graphError(reply, {
        httpStatus: 403,
        code: 10,
        message: '(#10) Application does not have permission for this action',
        details: 'The token does not belong to this phone number.',
      });
      return undefined;
    }
    return number;
  }

  #urlSignature(mediaId: string, expires: number): string {
    return crypto.createHmac('sha256', this.#urlKey).update(`${mediaId}:${expires}`).digest('hex');
  }

  /** Mark as read, and with `typing_indicator: {type: "text"}` show "typing…" to the customer who wrote that message. */
  #markRead(business: SandboxBusiness, message: Record<string, unknown>, reply: FastifyReply): FastifyReply {
    const id = message.message_id;
    if (typeof id !== 'string' || !id.startsWith('wamid.')) {
      return graphError(reply, {
        httpStatus: 400,
        code: 131009,
        message: '(#131009) Parameter value is not valid',
        details: 'message_id is not a valid message id.',
      });
    }
    const typing = message.typing_indicator;
    if (typing !== undefined && (typeof typing !== 'object' || typing === null || (typing as { type?: unknown }).type !== 'text')) {
      return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) Invalid parameter', details: 'typing_indicator.type must be "text".' });
    }
    this.readReceipts.push(id);
    if (typing !== undefined) {
      const now = this.#now();
      const inbound = this.#inboundMessages.get(id);
      const customer = inbound?.phoneNumberId === business.phoneNumberId ? inbound.customer : undefined;
      this.typingIndicators.push({ phoneNumberId: business.phoneNumberId, wamid: id, customer, at: now });
      if (customer !== undefined) this.#typingUntil.set(`${business.phoneNumberId}:${customer}`, now + TYPING_SHOWN_MS);
    }
    return reply.send({ success: true });
  }

  #send(business: SandboxBusiness, message: Record<string, unknown>, reply: FastifyReply): FastifyReply {
    const to = typeof message.to === 'string' ? message.to : undefined;
    const recipient = typeof message.recipient === 'string' ? message.recipient : undefined;
    const address = to ?? recipient;
    const type = typeof message.type === 'string' ? message.type : 'text';
    if (address === undefined) return graphError(reply, { httpStatus: 400, code: 100, message: '(#100) The parameter to is required.' });
    if (this.blocks.isBlocked(business.phoneNumberId, address)) return graphError(reply, BLOCKED_USER_ERROR);
    const now = this.#now();
    if (this.#throughput.get(business.phoneNumberId)?.tryTake(now) !== true) {
      return graphError(reply, {
        httpStatus: 429,
        code: 130429,
        message: '(#130429) Rate limit hit',
        details: 'Cloud API message throughput has been reached.',
      });
    }
    const pair = this.#pairLimiter(`${business.phoneNumberId}:${address}`);
    if (!pair.tryTake(now)) {
      return graphError(reply, { httpStatus: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' });
    }
    if (FREE_FORM_TYPES.has(type)) {
      const last = this.#lastInbound.get(address);
      if (last === undefined || now - last >= SERVICE_WINDOW_MS) {
        return graphError(reply, {
          httpStatus: 400,
          code: 131047,
          message: '(#131047) Re-engagement message',
          details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        });
      }
    } else if (type === 'template') {
      const template = message.template as { name?: unknown; language?: { code?: unknown } } | undefined;
      const known =
        this.#options.templates === undefined
          ? this.templates.known(template?.name, template?.language?.code) !== undefined
          : this.#options.templates.some((t) => t.name === template?.name && t.languages.includes(String(template.language?.code)));
      if (!known) return graphError(reply, { httpStatus: 404, code: 132001, message: '(#132001) Template name does not exist in the translation' });
      const refused =
        this.templates.refusal(template?.name, template?.language?.code) ?? headerMediaRefusal(message.template, (id) => this.#media.get(id)?.mimeType);
      if (refused !== undefined) return graphError(reply, refused);
    } else {
      return graphError(reply, { httpStatus: 400, code: 100, message: `(#100) Invalid parameter: unknown message type ${type}` });
    }
    if ((MEDIA_KINDS as readonly string[]).includes(type)) {
      const media = message[type] as { id?: unknown } | undefined;
      if (typeof media?.id !== 'string' || !this.#media.has(media.id)) {
        return graphError(reply, { httpStatus: 400, code: 131053, message: 'Media upload error', details: 'Unknown media id.' });
      }
      const stored = this.#media.get(media.id);
      if (stored !== undefined && !isSendableMimeType(type as MediaKind, stored.mimeType)) {
        return graphError(reply, { httpStatus: 400, code: 131053, message: 'Media upload error', details: `Unsupported ${type} mime type ${stored.mimeType}` });
      }
    }
    const wamid = newWamid();
    this.accepted.push({ wamid, from: business.phoneNumberId, to, recipient, type, body: message, at: now });
    // The reply came: the customer's phone stops showing "typing…".
    this.#typingUntil.delete(`${business.phoneNumberId}:${address}`);
    this.#scheduleStatuses(business, wamid, { waId: to, userId: recipient });
    return reply.send({
      messaging_product: 'whatsapp',
      contacts: [{ input: address, ...(to === undefined ? { user_id: recipient } : { wa_id: to }) }],
      messages: [{ id: wamid }],
    });
  }

  #scheduleStatuses(business: SandboxBusiness, wamid: string, recipient: { waId: string | undefined; userId: string | undefined }): void {
    const webhooks = this.#webhooks;
    if (webhooks === undefined) return;
    const delays = this.#options.statusDelaysMs ?? { sent: 50, delivered: 400, read: 2500 };
    for (const status of ['sent', 'delivered', 'read'] as const) {
      const delay = delays[status];
      if (delay === undefined) continue;
      const timer = setTimeout(() => {
        this.#statusTimers.delete(timer);
        void webhooks.deliver(statusWebhook(business, recipient, wamid, status));
      }, delay);
      timer.unref();
      this.#statusTimers.add(timer);
    }
  }
}

/** Meta's media ids are 15-16 digit numbers. */
function newMediaId(): string {
  return String(crypto.randomInt(10 ** 14, 2 ** 48 - 1));
}

function graphError(reply: FastifyReply, error: GraphError): FastifyReply {
  return reply.code(error.httpStatus).send({
    error: {
      message: error.message,
      type: 'OAuthException',
      code: error.code,
      ...(error.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details: error.details } }),
      fbtrace_id: crypto.randomBytes(9).toString('base64url'),
    },
  });
}
