/**
 * Pairing as the workstation lives it: ask once, then keep the code fresh (a new one about
 * every minute, before the shown one expires) and poll, signed, until an admin decides or the
 * pairing runs out.
 */
import type { PairingStarted, PairingState } from '../../common/api/pairing.js';
import type { ServerApi } from '../connection/server-api.js';

export interface PairingView {
  readonly pairingId: number;
  readonly code: string;
  readonly approvalUrl: string;
  readonly keyFingerprint: string;
  readonly codeExpiresAt: number;
  readonly pairingExpiresAt: number;
}

export type PairingEnd = 'approved' | 'rejected' | 'expired' | 'superseded' | 'failed';

export interface PairingFlowOptions {
  readonly pollMs: number;
  /** Ask for a new code this long before the shown one expires. */
  readonly rotateBeforeExpiryMs: number;
}

export class PairingFlow {
  readonly #api: ServerApi;
  readonly #options: PairingFlowOptions;
  readonly #now: () => number;
  readonly #onView: (view: PairingView) => void;
  readonly #onEnd: (end: PairingEnd, error?: unknown) => void;
  #view: PairingView;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    started: PairingStarted,
    deps: {
      api: ServerApi;
      options: PairingFlowOptions;
      now: () => number;
      onView: (view: PairingView) => void;
      onEnd: (end: PairingEnd, error?: unknown) => void;
    },
  ) {
    this.#api = deps.api;
    this.#options = deps.options;
    this.#now = deps.now;
    this.#onView = deps.onView;
    this.#onEnd = deps.onEnd;
    this.#view = {
      pairingId: started.pairingId,
      code: started.code,
      approvalUrl: started.approvalUrl,
      keyFingerprint: started.keyFingerprint,
      codeExpiresAt: started.codeExpiresAt,
      pairingExpiresAt: started.expiresAt,
    };
  }

  get view(): PairingView {
    return this.#view;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), this.#options.pollMs);
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let state: PairingState;
    try {
      state = await this.#api.pairingStatus(this.#view.pairingId);
      if (this.#stopped) return;
      if (state.status !== 'pending') return this.#end(state.status);
      if (this.#view.codeExpiresAt - this.#now() <= this.#options.rotateBeforeExpiryMs) {
        const grant = await this.#api.rotatePairingCode(this.#view.pairingId);
        if (this.#stopped) return;
        this.#view = { ...this.#view, code: grant.code, approvalUrl: grant.approvalUrl, codeExpiresAt: grant.codeExpiresAt };
        this.#onView(this.#view);
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // The network blinks: keep polling. Anything the server refuses ends this pairing.
      if (code !== 'server_unreachable') return this.#end(code === 'pairing_not_pending' ? 'expired' : 'failed', error);
    }
    this.#schedule();
  }

  #end(end: PairingEnd, error?: unknown): void {
    this.stop();
    this.#onEnd(end, error);
  }
}
