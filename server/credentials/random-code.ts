/**
 * Random one-time codes in the alphabet people read and type without mistakes
 * (common/devices/pairing-code.ts): pairing, enrollment and recovery codes are all drawn here.
 */
import crypto from 'node:crypto';
import { CODE_ALPHABET } from '../../common/devices/pairing-code.js';

export function randomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return code;
}
