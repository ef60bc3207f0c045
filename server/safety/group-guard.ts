/**
 * No customer groups (docs/safety-rules.md, "Groups"; the policy's `groups.refuseGroupRecipients`,
 * fixed on). The server has no path that sends to a WhatsApp group: a send whose recipient is a
 * group (a conversation of a contact that stands for one, `contacts.group_id`) is refused with
 * `group_recipient_refused` (409) before anything is stored or reaches Meta, and each refusal is
 * counted and audited by ids (`safety.groups.refused`).
 */
import { CodedError } from '../../common/errors/coded-error.js';
import type { SafetyActions } from './safety-actions.js';

export class GroupRecipientRefused extends CodedError<'group_recipient_refused'> {
  constructor(where: { readonly conversationId: number }) {
    super(
      'group_recipient_refused',
      'This conversation is a WhatsApp group: Sportello never writes to groups. Its messages are kept to read; answer the customer in a chat of their own.',
      { conversationId: where.conversationId },
    );
    this.name = 'GroupRecipientRefused';
  }
}

/** Throws the refusal when the recipient is a group (`groupId` not null). */
export function refuseGroupRecipient(recipient: { readonly group_id: string | null }, conversationId: number): void {
  if (recipient.group_id !== null) throw new GroupRecipientRefused({ conversationId });
}

export class GroupGuard {
  readonly #actions: Pick<SafetyActions, 'record'>;

  constructor(deps: { readonly actions: Pick<SafetyActions, 'record'> }) {
    this.#actions = deps.actions;
  }

  /** Records a refusal the send's transaction threw (it rolled back, so the row is written in one of its own). */
  async refused(error: unknown, writer: { readonly agentId: number | null; readonly conversationId: number }): Promise<void> {
    if (!(error instanceof GroupRecipientRefused)) return;
    await this.#actions.record({ rule: 'groups', action: 'refused', agentId: writer.agentId, conversationId: writer.conversationId });
  }
}
