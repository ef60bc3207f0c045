/**
 * The idempotency key a scheduled message's send goes under. Random and kept on its row
 * (`send_key`, migration 0034), never shown to a client: a key derived from the row
 * (`scheduled-<id>`, as before 0034) could be taken first by an agent's ordinary send, and the
 * scheduled one then came back `idempotency_key_reused` or was matched to that other send.
 */
import crypto from 'node:crypto';

export function newScheduledSendKey(): string {
  return `scheduled:${crypto.randomUUID()}`;
}

/** The key of this row's send: its own, or for one handed over before 0034, the one it went with. */
export function scheduledSendKey(row: { readonly id: number; readonly send_key: string | null }): string {
  return row.send_key ?? `scheduled-${row.id}`;
}
