/**
 * Our thin Graph API client: pinned version, bearer token, Meta's error shape turned into a
 * GraphApiError that carries its verdict (graph-errors.ts). It does not retry: callers decide.
 */
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import type { WhatsAppChannel } from '../config/load-config.js';
import type { BlockUsersAction, BlockUsersAnswer } from './block-users.js';
import { blockUsersAnswer } from './block-users.js';
import type { FailureVerdict, GraphFailure } from './graph-errors.js';
import { judgeGraphFailure } from './graph-errors.js';
import { requestMayHaveArrived } from './request-reached.js';

export class GraphApiError extends CodedError<'graph_api_error'> {
  readonly failure: GraphFailure;
  readonly verdict: FailureVerdict;

  constructor(failure: GraphFailure, options?: { cause?: unknown }) {
    const verdict = judgeGraphFailure(failure);
    super('graph_api_error', verdict.reason, { metaCode: failure.metaCode, httpStatus: failure.httpStatus }, options);
    this.name = 'GraphApiError';
    this.failure = failure;
    this.verdict = verdict;
  }
}

const GraphErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    message: z.string().optional(),
    type: z.string().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

const SendResponse = z.looseObject({
  contacts: z.array(z.looseObject({ input: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
export type SendResponse = z.infer<typeof SendResponse>;

const UploadResponse = z.looseObject({ id: z.string().min(1) });

const MediaInfo = z.looseObject({
  url: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  file_size: z.union([z.string(), z.number()]).optional(),
  id: z.string().optional(),
});
export interface MediaInfo {
  readonly url: string;
  readonly mimeType: string | undefined;
  readonly sha256: string | undefined;
  readonly fileSize: number | undefined;
}

const SuccessResponse = z.looseObject({ success: z.boolean() });

const TEMPLATE_FIELDS = 'id,name,status,category,language,components,parameter_format,quality_score,rejected_reason';
const TemplatePage = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

export interface GraphClientOptions {
  readonly timeoutMs?: number;
}

/** Meta's CDN for media; the bearer token is only ever sent to these and to the Graph host. */
const META_MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.facebook.com', '.whatsapp.net', '.fbcdn.net'];

/** What a Graph client needs of a number: where Graph is, the number and its token (never its app secret). */
export type GraphChannel = Pick<WhatsAppChannel, 'graphApiUrl' | 'graphApiVersion' | 'phoneNumberId' | 'accessToken'>;

export class GraphClient {
  readonly #channel: GraphChannel;
  readonly #timeoutMs: number;
  readonly #graphOrigin: string;

  constructor(channel: GraphChannel, options: GraphClientOptions = {}) {
    this.#channel = channel;
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    this.#graphOrigin = new URL(channel.graphApiUrl).origin;
  }

  /** POST /{phone-number-id}/messages with a full message body; returns Meta's ids. */
  async sendMessage(body: Record<string, unknown>): Promise<SendResponse> {
    let json: unknown;
    try {
      json = await this.#request('POST', `${this.#channel.phoneNumberId}/messages`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', ...body }),
      });
    } catch (error) {
      // No answer after the request went out: Meta may have sent it, so it must not be sent again blindly.
      if (error instanceof GraphApiError && error.failure.httpStatus === undefined && requestMayHaveArrived(error.cause)) {
        throw new GraphApiError({ ...error.failure, sendInterrupted: true }, { cause: error.cause });
      }
      throw error;
    }
    return this.#parse(SendResponse, json);
  }

  /** Marks an inbound message (and every earlier one) as read. */
  async markRead(wamid: string): Promise<void> {
    const json = await this.#request('POST', `${this.#channel.phoneNumberId}/messages`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: wamid }),
    });
    this.#parse(SuccessResponse, json);
  }

  /**
   * Shows the customer "typing…" (until the business replies, or for at most 25 seconds), which
   * Meta ties to marking their message, and every earlier one, read.
   */
  async typingIndicator(wamid: string): Promise<void> {
    const json = await this.#request('POST', `${this.#channel.phoneNumberId}/messages`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: wamid, typing_indicator: { type: 'text' } }),
    });
    this.#parse(SuccessResponse, json);
  }

  /**
   * POST (block) or DELETE (unblock) /{phone-number-id}/block_users for one user (wa_id or phone
   * number). Meta answers per user: 200 with the user in added_users / removed_users, or 400 with
   * them in failed_users (and error 139100); any other error is thrown as a GraphApiError.
   */
  async blockUsers(action: BlockUsersAction, user: string): Promise<BlockUsersAnswer> {
    const response = await this.#fetch(action === 'block' ? 'POST' : 'DELETE', `${this.#channel.phoneNumberId}/block_users`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', block_users: [{ user }] }),
    });
    const json: unknown = await response.json().catch(() => undefined);
    const answer = blockUsersAnswer(action, json);
    if (answer !== undefined && (response.ok || answer.failed.length > 0)) return answer;
    if (!response.ok) throw failureFromBody(response.status, json);
    throw new GraphApiError(emptyFailure({ httpStatus: response.status, message: 'Graph API answered with an unexpected shape.' }));
  }

  /**
   * One page of a business account's templates (cloud-api.md §11): GET /{waba-id}/message_templates
   * with the fields Sportello reads, after Meta's cursor. `after` is the next page's cursor while
   * `paging.next` is there; the next page is asked of the Graph host with that cursor, so the token
   * never follows a URL Meta's answer names.
   */
  async listMessageTemplates(wabaId: string, after: string | undefined, limit = 100): Promise<{ templates: unknown[]; after: string | undefined }> {
    const query = new URLSearchParams({ fields: TEMPLATE_FIELDS, limit: String(limit) });
    if (after !== undefined) query.set('after', after);
    const json = await this.#request('GET', `${encodeURIComponent(wabaId)}/message_templates?${query.toString()}`);
    const page = this.#parse(TemplatePage, json);
    return { templates: page.data, after: page.paging?.next === undefined ? undefined : page.paging.cursors?.after };
  }

  /** Uploads a file for sending; Meta keeps it 30 days. Returns the media id. */
  async uploadMedia(bytes: Uint8Array, mimeType: string, filename: string): Promise<string> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', mimeType);
    form.set('file', new Blob([bytes], { type: mimeType }), filename);
    const json = await this.#request('POST', `${this.#channel.phoneNumberId}/media`, { body: form });
    return this.#parse(UploadResponse, json).id;
  }

  /** GET /{media-id}: a download URL valid for about five minutes. */
  async getMediaInfo(mediaId: string): Promise<MediaInfo> {
    const json = await this.#request('GET', encodeURIComponent(mediaId));
    const info = this.#parse(MediaInfo, json);
    const size = info.file_size === undefined ? undefined : Number(info.file_size);
    return { url: info.url, mimeType: info.mime_type, sha256: info.sha256, fileSize: Number.isFinite(size) ? size : undefined };
  }

  /**
   * Opens the download of a media URL, with the bearer token, after checking the URL points at
   * Meta's CDN (or the Graph host itself): the token is never sent anywhere else.
   */
  async openMediaDownload(url: string, signal: AbortSignal): Promise<Response> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new CodedError('media_url_refused', 'Meta returned a media URL that is not a URL.');
    }
    const sameOrigin = target.origin === this.#graphOrigin;
    const metaCdn = target.protocol === 'https:' && META_MEDIA_HOST_SUFFIXES.some((suffix) => target.hostname.endsWith(suffix));
    if (!sameOrigin && !metaCdn) {
      throw new CodedError('media_url_refused', `Refusing to send the access token to ${target.host}: not a Meta media host.`);
    }
    let response: Response;
    try {
      response = await fetch(target, { headers: this.#authorization(), signal, redirect: 'error' });
    } catch (error) {
      throw networkFailure(error);
    }
    if (!response.ok) throw await failureFrom(response);
    return response;
  }

  async #request(method: 'GET' | 'POST', path: string, init: RequestBody = {}): Promise<unknown> {
    const response = await this.#fetch(method, path, init);
    if (!response.ok) throw await failureFrom(response);
    try {
      return await response.json();
    } catch (error) {
      throw new GraphApiError(emptyFailure({ httpStatus: response.status, message: 'Graph API answered with a body that is not JSON.' }), { cause: error });
    }
  }

  /** One call to the Graph API with the token, the timeout and no redirects; a network failure is a GraphApiError, any answer is returned. */
  async #fetch(method: 'GET' | 'POST' | 'DELETE', path: string, init: RequestBody): Promise<Response> {
    try {
      return await fetch(`${this.#channel.graphApiUrl}/${this.#channel.graphApiVersion}/${path}`, {
        method,
        headers: { ...this.#authorization(), ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw networkFailure(error);
    }
  }

  #authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.#channel.accessToken}` };
  }

  #parse<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new GraphApiError(emptyFailure({ httpStatus: 200, message: 'Graph API answered with an unexpected shape.' }));
    }
    return parsed.data;
  }
}

interface RequestBody {
  readonly headers?: Record<string, string>;
  readonly body?: string | FormData;
}

async function failureFrom(response: Response): Promise<GraphApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return failureFromBody(response.status, body);
}

function failureFromBody(httpStatus: number, body: unknown): GraphApiError {
  const parsed = GraphErrorBody.safeParse(body);
  if (!parsed.success) return new GraphApiError(emptyFailure({ httpStatus }));
  const e = parsed.data.error;
  return new GraphApiError({
    metaCode: e.code,
    subcode: e.error_subcode,
    httpStatus,
    title: e.error_user_title ?? e.type,
    message: e.message,
    details: e.error_data?.details ?? e.error_user_msg,
    fbtraceId: e.fbtrace_id,
  });
}

function networkFailure(error: unknown): GraphApiError {
  return new GraphApiError(emptyFailure({ message: error instanceof Error ? error.message : String(error) }), { cause: error });
}

function emptyFailure(partial: Partial<GraphFailure>): GraphFailure {
  return {
    metaCode: undefined,
    subcode: undefined,
    httpStatus: undefined,
    title: undefined,
    message: undefined,
    details: undefined,
    fbtraceId: undefined,
    ...partial,
  };
}
