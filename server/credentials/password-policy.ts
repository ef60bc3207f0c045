/**
 * What a new password must be: long enough, not a common password (Mozilla's list derived from
 * the top million leaked passwords), and not the username or the organisation's name.
 */
import { createRequire } from 'node:module';
import { CodedError } from '../../common/errors/coded-error.js';

const require = createRequire(import.meta.url);
const commonPasswords = require('fxa-common-password-list') as { test(password: string): boolean };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export class WeakPasswordError extends CodedError<'password_too_weak'> {
  constructor(reason: string) {
    super('password_too_weak', reason);
    this.name = 'WeakPasswordError';
  }
}

export function checkNewPassword(password: string, context: { username: string; orgName: string }): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw new WeakPasswordError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good one.`);
  if (length > MAX_PASSWORD_LENGTH) throw new WeakPasswordError(`The password must have at most ${MAX_PASSWORD_LENGTH} characters.`);
  const lower = password.toLowerCase();
  if (commonPasswords.test(password) || commonPasswords.test(lower)) {
    throw new WeakPasswordError('This password is on the list of commonly used passwords: choose another.');
  }
  if (new Set(lower).size < 4) throw new WeakPasswordError('The password repeats too few characters: choose another.');
  for (const word of [context.username, context.orgName]) {
    const needle = word.toLowerCase();
    if (needle.length >= 3 && lower.includes(needle)) throw new WeakPasswordError('The password must not contain your username or the organisation’s name.');
  }
}
