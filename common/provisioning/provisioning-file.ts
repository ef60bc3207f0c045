/**
 * The provisioning file IT deploys with the desktop app (by MDM): which server the app may talk
 * to, and the pins of that server's certificate key. The app talks to no other server, and to
 * this one only when the certificate's key matches a pin.
 */
import { z } from 'zod';

export const SpkiPin = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'each pin must be a base64 SHA-256 of the certificate’s public key (44 characters ending in =)');

export const ProvisioningFile = z
  .object({
    /** https://desk.example.com (a path prefix is allowed). */
    serverUrl: z
      .string()
      .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^\s?#]*)?$/, 'serverUrl must be an https URL such as https://desk.example.com')
      .transform((value) => value.replace(/\/+$/, '')),
    /** One pin, or more while a certificate key is being rotated. */
    spkiSha256: z.array(SpkiPin).min(1, 'spkiSha256 must hold at least one pin').max(4),
    /** Shown on the screens before sign-in. */
    organisation: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type ProvisioningFile = z.infer<typeof ProvisioningFile>;
export const PROVISIONING_FILE_NAME = 'provisioning.json';
