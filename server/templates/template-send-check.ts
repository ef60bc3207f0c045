/**
 * A template send judged before Meta is called (docs/templates.md): the template must be one of
 * the account's (`template_unknown`), approved (`template_not_approved`, with its status and
 * Meta's reason), filled in by the one rule of the preview (`template_parameters_invalid`, with
 * the problems), and a marketing one goes only to a customer who has not stopped marketing
 * (`customer_stopped_marketing`: counted and audited by ids, as the promotions consent is, under
 * `personal_data`). The components sent are the ones the rule builds. An account never synced
 * yet (no list from Meta) leaves the judgement to Meta, whose answers map to the same codes.
 */
import { CodedError } from '../../common/errors/coded-error.js';
import type { SendRequest } from '../../common/messages/send-request.js';
import type { MessageContent } from '../../common/messages/message-content.js';
import type { TemplateSendRefusal } from '../../common/templates/template-refusals.js';
import { buildTemplateComponents, parametersOfComponents } from '../../common/templates/template-parameters.js';
import type { SafetyActions } from '../safety/safety-actions.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { stoppedMarketing } from './template-lists.js';
import { templateByName } from './template-store.js';

type TemplateRequest = Extract<SendRequest, { kind: 'template' }>;

export class TemplateSendRefused extends CodedError<TemplateSendRefusal> {
  constructor(refusal: { code: TemplateSendRefusal; message: string; details?: Record<string, unknown> }) {
    super(refusal.code, refusal.message, refusal.details);
    this.name = 'TemplateSendRefused';
  }
}

export class TemplateSendCheck {
  readonly #actions: Pick<SafetyActions, 'record'>;

  constructor(deps: { actions: Pick<SafetyActions, 'record'> }) {
    this.#actions = deps.actions;
  }

  /** The content to store for the send, or a refusal thrown (the send's transaction rolls back). */
  async content(trx: StoreTransaction, request: TemplateRequest, to: { wabaId: string | null; contactId: number }): Promise<MessageContent> {
    const asked: MessageContent = { type: 'template', name: request.name, languageCode: request.languageCode, components: request.components };
    if (to.wabaId === null) return asked;
    const synced = await trx.selectFrom('template_syncs').select('synced_at').where('waba_id', '=', to.wabaId).executeTakeFirst();
    if (synced?.synced_at === null || synced === undefined) return asked;
    const template = await templateByName(trx, to.wabaId, request.name, request.languageCode);
    if (template === undefined || template.removed) {
      throw new TemplateSendRefused({
        code: 'template_unknown',
        message: `There is no template ${request.name} in ${request.languageCode} for this business number: pick one of its templates.`,
      });
    }
    if (template.status !== 'APPROVED') {
      throw new TemplateSendRefused({
        code: 'template_not_approved',
        message: `The template ${template.name} is ${template.status.toLowerCase()} at Meta${template.statusReason === null ? '' : ` (${template.statusReason})`}: only approved templates can be sent.`,
        details: { status: template.status, reason: template.statusReason },
      });
    }
    if (template.category === 'MARKETING') {
      const contact = await trx.selectFrom('contacts').select('marketing_preference').where('id', '=', to.contactId).executeTakeFirst();
      if (stoppedMarketing(contact?.marketing_preference ?? null)) {
        throw new TemplateSendRefused({
          code: 'customer_stopped_marketing',
          message: 'This customer asked WhatsApp to stop marketing messages: send a utility template instead, or wait until they write.',
        });
      }
    }
    const built = buildTemplateComponents(template, request.parameters ?? parametersOfComponents(template, request.components));
    if (!built.ok) {
      throw new TemplateSendRefused({
        code: 'template_parameters_invalid',
        message: `The template ${template.name} is not filled in right: ${built.problems.map((problem) => `${problem.at} ${problem.problem.replace('_', ' ')}`).join(', ')}.`,
        details: { problems: built.problems },
      });
    }
    return { ...asked, components: built.components };
  }

  /** Counts and audits (by ids) a marketing template refused to a customer who stopped marketing, after its transaction rolled back. */
  async refused(error: unknown, writer: { readonly agentId: number | null; readonly conversationId: number }): Promise<void> {
    if (!(error instanceof TemplateSendRefused) || error.code !== 'customer_stopped_marketing') return;
    await this.#actions.record({ rule: 'personal_data', action: 'refused', agentId: writer.agentId, conversationId: writer.conversationId });
  }
}
