/**
 * The error object Meta puts in a webhook's `errors[]` (a message it could not deliver, a status
 * `failed`): loose, since Meta adds fields. The inbox reads it to say why a message failed.
 */
import { z } from 'zod';

export const CloudApiError = z.looseObject({
  code: z.number().int().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type CloudApiError = z.infer<typeof CloudApiError>;
