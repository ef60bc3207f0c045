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
  /** The newest version the server announced: a read that answers older is made again. */
  #announced = -1;

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

  /** Reads the policy from the server (shared with a read under way); `again`: once more if a newer version was announced meanwhile. */
  refresh(again = true): Promise<SafetyPolicyView> {
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
      })
      // A change announced while this read was under way may not be in its answer: read once more.
      .then((held) => (again && held.version < this.#announced ? this.refresh(false) : held));
    return this.#reading;
  }

  /** A refresh nobody waits for. */
  refreshLater(): void {
    this.refresh().catch((error: unknown) => this.#deps.failed(error));
  }

  /** The server says the policy is at `version`: read it unless that is the one held. */
  heard(version: number): void {
    this.#announced = Math.max(this.#announced, version);
    if (this.#held === undefined || this.#held.version < version) this.refreshLater();
  }
}
