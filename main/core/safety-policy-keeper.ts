/**
 * The safety policy this workstation holds while an agent is signed in
 * (common/safety/safety-policy.ts): read from the server at sign-in and on every reconnect (a
 * change made while offline is then found), and again when the server says its version moved
 * (`safety_policy_changed`); each new version is told to the renderer. Reads that ask while one is
 * under way share it.
 */
import type { SafetyPolicyView } from '../../common/safety/safety-policy.js';

export interface SafetyPolicyKeeperDeps {
  readonly fetch: () => Promise<SafetyPolicyView>;
  /** A version other than the one held arrived. */
  readonly changed: (view: SafetyPolicyView) => void;
  /** A read that nobody waited for failed (the core decides whether it ends the session). */
  readonly failed: (error: unknown) => void;
}

export class SafetyPolicyKeeper {
  readonly #deps: SafetyPolicyKeeperDeps;
  #held: SafetyPolicyView | undefined;
  #reading: Promise<SafetyPolicyView> | undefined;

  constructor(deps: SafetyPolicyKeeperDeps) {
    this.#deps = deps;
  }

  /** The policy held (undefined until the first read answered). */
  get held(): SafetyPolicyView | undefined {
    return this.#held;
  }

  /** The policy held, or read now when none is yet. */
  get(): Promise<SafetyPolicyView> {
    return this.#held === undefined ? this.refresh() : Promise.resolve(this.#held);
  }

  /** Reads the policy from the server (shared with a read under way). */
  refresh(): Promise<SafetyPolicyView> {
    this.#reading ??= this.#deps
      .fetch()
      .then((view) => {
        const before = this.#held;
        // Answers may cross a later change's: never go back to an older version.
        if (before === undefined || view.version > before.version) {
          this.#held = view;
          this.#deps.changed(view);
        }
        return this.#held ?? view;
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  /** A refresh nobody waits for. */
  refreshLater(): void {
    this.refresh().catch((error: unknown) => this.#deps.failed(error));
  }

  /** The server says the policy is at `version`: read it unless that is the one held. */
  heard(version: number): void {
    if (this.#held?.version !== version) this.refreshLater();
  }
}
