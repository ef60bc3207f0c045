/**
 * What the enrollment screens carry from one step to the next: the authenticator to add (its
 * key grouped for typing), then the session the enrollment granted, held until the agent has
 * seen the recovery codes. Only the core forgets the grant, when every session ends.
 */
import type { EnrollmentStarted, SessionGrant } from '../../common/api/session.js';
import type { AppState, UiError } from '../../common/ipc/app-state.js';

interface Authenticator {
  readonly enrollmentId: string;
  readonly username: string;
  readonly otpauthUri: string;
  readonly manualKey: string;
}

function groupKey(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

export class EnrollmentSteps {
  #authenticator: Authenticator | undefined;
  #grant: SessionGrant | undefined;

  begin(username: string, started: EnrollmentStarted): void {
    this.#authenticator = { enrollmentId: started.enrollmentId, username, otpauthUri: started.otpauthUri, manualKey: groupKey(started.secret) };
  }

  /** The authenticator step under way, if one is. */
  get authenticator(): Authenticator | undefined {
    return this.#authenticator;
  }

  /** The code was right: the grant waits for the recovery codes to be seen. */
  confirmed(grant: SessionGrant): void {
    this.#grant = grant;
    this.#authenticator = undefined;
  }

  /** The grant to sign in with, taken once. */
  takeGrant(): SessionGrant | undefined {
    const grant = this.#grant;
    this.#grant = undefined;
    return grant;
  }

  get hasGrant(): boolean {
    return this.#grant !== undefined;
  }

  forgetGrant(): void {
    this.#grant = undefined;
  }

  /** The authenticator screen with `problem`, while that step is under way. */
  authenticatorScreen(problem: UiError | null): AppState | undefined {
    const step = this.#authenticator;
    if (step === undefined) return undefined;
    return { screen: 'enrolling', step: 'authenticator', username: step.username, otpauthUri: step.otpauthUri, manualKey: step.manualKey, problem };
  }
}
