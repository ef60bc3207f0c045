/**
 * TOTP (RFC 6238) as authenticator apps do it: SHA-1, 6 digits, 30-second steps, accepting the
 * step before and after for clock drift. Each accepted step is remembered by the caller and
 * passed back as `afterStep`, so a code is never accepted twice.
 */
import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;

/** What an agent's TOTP secret is sealed under with the server key (ServerKey.seal), in the store. */
export function sealTotpSecretContext(agentId: number): string {
  return `totp:agent:${agentId}`;
}

export function newTotpSecret(): string {
  // 20 bytes (160 bits), base32: what RFC 4226 recommends and every authenticator app reads.
  return generateSecret({ length: 20 });
}

export function totpUri(input: { secret: string; orgName: string; username: string }): string {
  return generateURI({
    issuer: 'Sportello',
    label: `${input.username} (${input.orgName})`,
    secret: input.secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
  });
}

export interface TotpCheck {
  readonly valid: boolean;
  /** The step the code belongs to, when valid. */
  readonly step: number | null;
}

export async function checkTotp(input: { secret: string; code: string; afterStep: number | null; nowMs: number }): Promise<TotpCheck> {
  const result = await verify({
    secret: input.secret,
    token: input.code,
    epoch: Math.floor(input.nowMs / 1000),
    period: TOTP_PERIOD_S,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
    epochTolerance: TOTP_PERIOD_S,
    ...(input.afterStep === null ? {} : { afterTimeStep: input.afterStep }),
  });
  if (!result.valid) return { valid: false, step: null };
  // The functional API's result is TOTP's or HOTP's; with the TOTP strategy it carries the step.
  const step = 'timeStep' in result ? result.timeStep : null;
  return typeof step === 'number' ? { valid: true, step } : { valid: false, step: null };
}
