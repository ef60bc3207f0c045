/** Pairing's refusals, as the client API and the approval page tell them apart. */
import { CodedError } from '../../common/errors/coded-error.js';

export class PairingError extends CodedError {}

export const pairingCodeInvalid = () =>
  new PairingError('pairing_code_invalid', 'This code is not valid: it may have expired or been replaced. Use the code the workstation shows now.');
