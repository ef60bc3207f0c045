/**
 * The agent's phone: codes from the TOTP secret the enrollment screen showed. The server never
 * accepts a 30-second step twice, so each code comes from a step after the last one used, within
 * the one step of drift the server allows.
 */
import { totpNow } from '../../helpers/test-device.js';

const STEP_MS = 30_000;

export class Authenticator {
  readonly secret: string;
  #lastStep = -Infinity;

  constructor(secret: string) {
    this.secret = secret;
  }

  async nextCode(): Promise<string> {
    const nowStep = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(nowStep, this.#lastStep + 1);
    if (step > nowStep + 1) throw new Error('two codes already used in this step and the next: the test asks for codes too fast');
    this.#lastStep = step;
    return totpNow(this.secret, step * STEP_MS);
  }
}
