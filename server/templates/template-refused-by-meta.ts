/**
 * A template send Meta refused because the template is paused (132015) or disabled (132016):
 * Meta changed it since the last sync, and its status webhook has not come (or was lost). The
 * stored template takes that status in the failed message's own transaction, and the caller
 * announces it (`template_changed`, template-announcer.ts) once that commits, as a webhook's
 * change is: the picker shows it at once and the next send is refused before Meta is called.
 */
import type { MessageContent } from '../../common/messages/message-content.js';
import { TEMPLATE_STATUS_BY_META_CODE } from '../../common/templates/template-refusals.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { changeTemplate, templateByName } from './template-store.js';

/** The template whose stored status changed, when Meta's refusal of this message said it had. */
export async function noteTemplateRefusedByMeta(
  trx: StoreTransaction,
  refused: { readonly messageId: number; readonly wabaId: string | null; readonly metaCode: number | undefined },
  now: number,
): Promise<string | undefined> {
  const status = refused.metaCode === undefined ? undefined : TEMPLATE_STATUS_BY_META_CODE[refused.metaCode];
  if (status === undefined || refused.wabaId === null) return undefined;
  const message = await trx.selectFrom('messages').select(['type', 'content_json']).where('id', '=', refused.messageId).executeTakeFirst();
  if (message?.type !== 'template') return undefined;
  const content = JSON.parse(message.content_json) as MessageContent;
  if (content.type !== 'template') return undefined;
  const template = await templateByName(trx, refused.wabaId, content.name, content.languageCode);
  if (template === undefined || template.removed) return undefined;
  return (await changeTemplate(trx, template.id, { status }, now)) ? template.id : undefined;
}
