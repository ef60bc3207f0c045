/**
 * The password policy the server enforces (docs/device-trust.md), checked as the agent types so
 * they see what is missing before the server refuses. The common-password list and the
 * organisation's name are checked by the server only.
 */
export const MIN_PASSWORD_LENGTH = 12;
const MIN_DISTINCT_CHARACTERS = 4;

export interface PasswordChecks {
  readonly longEnough: boolean;
  readonly variedEnough: boolean;
  readonly withoutUsername: boolean;
  readonly repeatedExactly: boolean;
}

export function checkPassword(password: string, repeated: string, username: string): PasswordChecks {
  const name = username.trim().toLowerCase();
  return {
    longEnough: [...password].length >= MIN_PASSWORD_LENGTH,
    variedEnough: new Set(password).size >= MIN_DISTINCT_CHARACTERS,
    withoutUsername: name.length < 2 || !password.toLowerCase().includes(name),
    repeatedExactly: password.length > 0 && password === repeated,
  };
}

export function passesChecks(checks: PasswordChecks): boolean {
  return Object.values(checks).every(Boolean);
}
