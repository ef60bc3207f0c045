/**
 * The stand-in's message templates (cloud-api.md §11): `GET /{waba-id}/message_templates`, paged
 * by `after` as Meta pages (`paging.cursors.after`, and `paging.next` while more follow), in
 * English and Italian: utility ones (an order update with body variables and a URL button among
 * them), a marketing promotion with an image header, an authentication code, one paused and one
 * pending review. A status change (`setStatus`) changes what the list says and sends Meta's
 * `message_template_status_update` webhook, as an approval in WhatsApp Manager would.
 */
import type { FastifyInstance } from 'fastify';
import { isSendableMimeType } from '../../common/attachments/media-limits.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

type MetaComponent = Record<string, unknown>;

export interface StandInTemplate {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: string;
  rejectedReason: string;
  quality: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  readonly parameterFormat: 'POSITIONAL' | 'NAMED';
  readonly components: readonly MetaComponent[];
}

const body = (text: string): MetaComponent => ({ type: 'BODY', text });
const twice = (
  id: number,
  name: string,
  category: StandInTemplate['category'],
  en: readonly MetaComponent[],
  it: readonly MetaComponent[],
  options: Partial<Pick<StandInTemplate, 'status' | 'quality' | 'parameterFormat'>> & { enLanguage?: string } = {},
): StandInTemplate[] =>
  [
    [options.enLanguage ?? 'en_US', en],
    ['it', it],
  ].map(([language, components], index) => ({
    id: String(id + index),
    name,
    language: language as string,
    category,
    status: options.status ?? 'APPROVED',
    rejectedReason: 'NONE',
    quality: options.quality ?? 'GREEN',
    parameterFormat: options.parameterFormat ?? 'POSITIONAL',
    components: components as readonly MetaComponent[],
  }));

/** The set every stand-in starts with (fresh objects each time: statuses change per stand-in). */
export function standInTemplates(): StandInTemplate[] {
  return [
    ...twice(
      900000000000101,
      'hello_world',
      'UTILITY',
      [body('Hello from our team! How can we help you today?')],
      [body('Ciao dal nostro team! Come possiamo aiutarti oggi?')],
    ),
    ...twice(
      900000000000111,
      'order_update',
      'UTILITY',
      [body('Hi {{1}}, there is news about your order.')],
      [body('Ciao {{1}}, ci sono novità sul tuo ordine.')],
    ),
    ...twice(
      900000000000121,
      'conversation_reopen',
      'UTILITY',
      [body('We are here again: reply to this message to continue our conversation.')],
      [body('Siamo di nuovo qui: rispondi a questo messaggio per continuare la conversazione.')],
    ),
    ...twice(
      900000000000131,
      'order_shipped',
      'UTILITY',
      [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A-1042'] } },
        { ...body('Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.'), example: { body_text: [['Giulia', 'A-1042', 'on Friday']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/track/{{1}}', example: ['A-1042'] }] },
      ],
      [
        { type: 'HEADER', format: 'TEXT', text: 'Ordine {{1}}', example: { header_text: ['A-1042'] } },
        { ...body('Ciao {{1}}, il tuo ordine {{2}} è partito e arriva {{3}}.'), example: { body_text: [['Giulia', 'A-1042', 'venerdì']] } },
        { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Segui l’ordine', url: 'https://shop.example.com/track/{{1}}', example: ['A-1042'] }] },
      ],
    ),
    ...twice(
      900000000000141,
      'summer_sale',
      'MARKETING',
      [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.example/sale.jpg'] } },
        {
          ...body('Hi {{first_name}}, everything is 20% off until Sunday with code {{code}}.'),
          example: {
            body_text_named_params: [
              { param_name: 'first_name', example: 'Giulia' },
              { param_name: 'code', example: 'SUMMER20' },
            ],
          },
        },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Tell me more' },
            { type: 'COPY_CODE', example: 'SUMMER20' },
          ],
        },
      ],
      [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.example/sale.jpg'] } },
        body('Ciao {{first_name}}, tutto al 20% in meno fino a domenica con il codice {{code}}.'),
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Dimmi di più' },
            { type: 'COPY_CODE', example: 'SUMMER20' },
          ],
        },
      ],
      { parameterFormat: 'NAMED', quality: 'YELLOW', enLanguage: 'en' },
    ),
    ...twice(
      900000000000151,
      'login_code',
      'AUTHENTICATION',
      [
        { ...body('*{{1}}* is your verification code.'), add_security_recommendation: true },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
      [
        { ...body('*{{1}}* è il tuo codice di verifica.'), add_security_recommendation: true },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copia codice' }] },
      ],
      { enLanguage: 'en' },
    ),
    ...twice(
      900000000000161,
      'loyalty_points',
      'MARKETING',
      [body('Hi {{1}}, you have {{2}} points to spend.')],
      [body('Ciao {{1}}, hai {{2}} punti da spendere.')],
      { status: 'PAUSED', quality: 'RED', enLanguage: 'en' },
    ),
    // The two of Meta's webhook fixtures (pywa__template_status_approved / _rejected.json), pending review here.
    {
      id: '1689556908129832',
      name: 'order_confirmation',
      language: 'en_US',
      category: 'UTILITY',
      status: 'PENDING',
      rejectedReason: 'NONE',
      quality: 'UNKNOWN',
      parameterFormat: 'POSITIONAL',
      components: [body('Thank you {{1}}: we received your order {{2}}.')],
    },
    {
      id: '1689556908129835',
      name: 'abandoned_cart',
      language: 'en',
      category: 'MARKETING',
      status: 'PENDING',
      rejectedReason: 'NONE',
      quality: 'UNKNOWN',
      parameterFormat: 'POSITIONAL',
      components: [body('You left {{1}}{{2}} in your cart.')],
    },
  ];
}

export const DEFAULT_PAGE_SIZE = 25;

export class StandInTemplates {
  readonly list: StandInTemplate[];
  /** The most one page holds, whatever `limit` asks (Meta caps its pages too): small, so a sync pages. */
  pageSize = 5;
  /** Pages asked for, in order (`after` of each): tests see the paging. */
  readonly pagesServed: Array<string | undefined> = [];

  constructor(templates: StandInTemplate[] = standInTemplates()) {
    this.list = templates;
  }

  /** Which templates a send may name: approved ones (Meta answers 132001 for others). */
  known(name: unknown, language: unknown): StandInTemplate | undefined {
    return this.list.find((template) => template.name === name && template.language === language);
  }

  /** Meta's answer to a send of a template it paused (132015) or disabled (132016) since approving it. */
  refusal(name: unknown, language: unknown): { httpStatus: number; code: number; message: string } | undefined {
    const status = this.known(name, language)?.status;
    if (status === 'PAUSED') return { httpStatus: 400, code: 132015, message: '(#132015) Cannot send message with a paused template' };
    if (status === 'DISABLED') return { httpStatus: 400, code: 132016, message: '(#132016) Cannot send message with a disabled template' };
    return undefined;
  }

  /** Changes a template's status, as Meta's review would, and sends the status webhook of the account. */
  async setStatus(
    deliverer: WebhookDeliverer,
    wabaId: string,
    id: string,
    status: string,
    reason: { reason?: string; rejectionInfo?: { reason: string; recommendation: string } } = {},
  ): Promise<void> {
    const template = this.list.find((candidate) => candidate.id === id);
    if (template === undefined) throw new Error(`the stand-in has no template ${id}`);
    template.status = status;
    template.rejectedReason = reason.reason ?? 'NONE';
    const value = {
      event: status,
      message_template_id: Number(id),
      message_template_name: template.name,
      message_template_language: template.language,
      reason: reason.reason ?? 'NONE',
      message_template_category: template.category,
      ...(reason.rejectionInfo === undefined ? {} : { rejection_info: reason.rejectionInfo }),
    };
    const webhook = {
      object: 'whatsapp_business_account',
      entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field: 'message_template_status_update' }] }],
    };
    await deliverer.deliver(JSON.stringify(webhook));
  }

  register(app: FastifyInstance, wabaIds: () => ReadonlySet<string>): void {
    app.get<{ Params: { version: string; wabaId: string }; Querystring: { after?: string; limit?: string } }>(
      '/:version/:wabaId/message_templates',
      (request, reply) => {
        if (!wabaIds().has(request.params.wabaId)) {
          return reply.code(400).send({
            error: { code: 100, type: 'GraphMethodException', message: `Unsupported get request. Object with ID '${request.params.wabaId}' does not exist` },
          });
        }
        const limit = Math.min(Math.max(Number(request.query.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, 1), this.pageSize);
        const { after } = request.query;
        this.pagesServed.push(after);
        const start = after === undefined ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
        const page = this.list.slice(start, start + limit);
        const end = start + page.length;
        const cursor = (index: number) => Buffer.from(String(index), 'utf8').toString('base64url');
        const base = `${request.protocol}://${request.host}/${request.params.version}/${request.params.wabaId}/message_templates`;
        return reply.send({
          data: page.map((template) => ({
            id: template.id,
            name: template.name,
            language: template.language,
            status: template.status,
            category: template.category,
            parameter_format: template.parameterFormat,
            quality_score: { score: template.quality },
            ...(template.rejectedReason === 'NONE' ? {} : { rejected_reason: template.rejectedReason }),
            components: template.components,
          })),
          paging: {
            cursors: { before: cursor(start), after: cursor(end) },
            ...(end < this.list.length ? { next: `${base}?limit=${limit}&after=${cursor(end)}` } : {}),
          },
        });
      },
    );
  }
}

/**
 * Meta's answer to a template whose media header names no file Meta holds: an id it issued (the
 * server's upload, POST /{phone-number-id}/media), of a type the header may carry, or an https link.
 */
export function headerMediaRefusal(
  template: unknown,
  uploadedMimeType: (mediaId: string) => string | undefined,
): { httpStatus: number; code: number; message: string; details: string } | undefined {
  const components = (template as { components?: unknown } | undefined)?.components;
  if (!Array.isArray(components)) return undefined;
  for (const component of components as Array<{ type?: unknown; parameters?: unknown }>) {
    if (String(component.type).toLowerCase() !== 'header' || !Array.isArray(component.parameters)) continue;
    for (const parameter of component.parameters as Array<Record<string, unknown>>) {
      const kind = parameter.type;
      if (kind !== 'image' && kind !== 'video' && kind !== 'document') continue;
      const media = parameter[kind] as { id?: unknown; link?: unknown } | undefined;
      if (typeof media?.link === 'string' && media.link.startsWith('https://')) continue;
      const mimeType = typeof media?.id === 'string' ? uploadedMimeType(media.id) : undefined;
      if (mimeType === undefined) {
        return {
          httpStatus: 400,
          code: 131053,
          message: 'Media upload error',
          details: `The template header's ${kind} names no media id uploaded to this account.`,
        };
      }
      if (!isSendableMimeType(kind, mimeType)) {
        return { httpStatus: 400, code: 131053, message: 'Media upload error', details: `Unsupported ${kind} mime type ${mimeType}` };
      }
    }
  }
  return undefined;
}
