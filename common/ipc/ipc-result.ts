/** How every IPC call's outcome crosses to the renderer: a value, or a coded error a person can act on. */
import { z } from 'zod';

export const IpcFailure = z.object({
  ok: z.literal(false),
  code: z.string(),
  message: z.string(),
  /** The conversations a refusal is about, when it names them (a bulk reassignment's: which of those asked for stopped it). */
  conversationIds: z.array(z.number().int().positive()).optional(),
});
export type IpcFailure = z.infer<typeof IpcFailure>;

/** The conversations a coded error's details name, as a failure carries them; nothing else of the details crosses. */
export function conversationIdsOf(details: Readonly<Record<string, unknown>> | undefined): { conversationIds?: number[] } {
  const named = z.array(z.number().int().positive()).max(1000).safeParse(details?.conversationIds);
  return named.success ? { conversationIds: named.data } : {};
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | IpcFailure;

export function ipcResult<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), IpcFailure]);
}
