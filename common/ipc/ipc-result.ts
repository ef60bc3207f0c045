/** How every IPC call's outcome crosses to the renderer: a value, or a coded error a person can act on. */
import { z } from 'zod';

export const IpcFailure = z.object({ ok: z.literal(false), code: z.string(), message: z.string() });
export type IpcFailure = z.infer<typeof IpcFailure>;

export type IpcResult<T> = { readonly ok: true; readonly value: T } | IpcFailure;

export function ipcResult<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), IpcFailure]);
}
