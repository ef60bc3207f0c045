/** The numbers commands' text for people. No token or app secret is ever part of it. */
import type { BusinessNumberList } from '../../common/api/business-numbers.js';
import { count, formatTable, formatTime, printable } from './text-format.js';

const HEALTH_WORDS = { ok: 'ok', needs_reauthorization: 'token refused: rotate-token', no_token: 'no token: rotate-token' } as const;

export function formatNumberList(list: BusinessNumberList): string {
  const lines: string[] = [];
  if (list.numbers.length === 0) lines.push('No business numbers yet: the server adds the one WHATSAPP_PHONE_NUMBER_ID names at its start.');
  else {
    const table = formatTable(
      ['PHONE NUMBER ID', 'NAME', 'WABA', 'APP', 'HEALTH', 'CONVERSATIONS', 'SOURCE'],
      list.numbers.map((number) => [
        number.phoneNumberId,
        number.displayName,
        number.wabaId ?? '-',
        number.ownAppSecret ? 'own secret' : 'default',
        HEALTH_WORDS[number.health],
        String(number.conversations),
        number.fromEnvironment ? 'settings' : 'added',
      ]),
    );
    lines.push(`Business numbers (${count(list.numbers.length, 'number')}):`, table);
  }
  if (list.unknown.length > 0) {
    const table = formatTable(
      ['PHONE NUMBER ID', 'WABA', 'WHY', 'WEBHOOKS', 'FIRST', 'LAST'],
      list.unknown.map((unknown) => [
        unknown.phoneNumberId,
        unknown.wabaId ?? '-',
        unknown.reason === 'other_app' ? 'signed by another app' : 'not configured',
        String(unknown.webhooks),
        formatTime(unknown.firstReceivedAt),
        formatTime(unknown.lastReceivedAt),
      ]),
    );
    lines.push('', 'Webhooks kept from numbers this server does not serve (nothing of them reached the inbox):', table);
  }
  return lines.join('\n');
}

export function formatNumberAdded(added: { phoneNumberId: string; wabaId: string; displayName: string; ownAppSecret: boolean }): string {
  return [
    `Added number ${added.phoneNumberId} ("${printable(added.displayName)}", WABA ${added.wabaId}${added.ownAppSecret ? ', its own app secret' : ''}).`,
    'Its token is sealed under the server key; the running server starts serving it within a few seconds.',
  ].join('\n');
}

export function formatTokenRotated(rotated: { phoneNumberId: string }): string {
  return `Replaced the access token of ${rotated.phoneNumberId}; the running server sends from it again within a few seconds.`;
}

export function formatNumberRemoved(removed: { phoneNumberId: string; movedConversations: number; movedTo: string | null }): string {
  const moved = removed.movedTo === null ? '' : ` Its ${count(removed.movedConversations, 'conversation')} now belong to ${removed.movedTo}.`;
  return `Removed number ${removed.phoneNumberId}.${moved} Webhooks for it are now kept as from an unknown number.`;
}
