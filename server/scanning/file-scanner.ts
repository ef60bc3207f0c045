/**
 * What the virus scanner says of a file, for the media pipeline (inbound, uploads, the rescan):
 * `clean`, `infected` (with clamd's signature name, which stays on the server) or `unscanned`
 * with why (`scanner_not_configured`: no SPORTELLO_CLAMD_*; a ScannerError's code: clamd did not
 * answer, the file is over its StreamMaxLength…). No scanner configured is not an error: the
 * server runs and the policy (`attachments.refuseFilesWithoutCleanScan`) decides what that means.
 */
import type { Logger } from 'pino';
import type { ClamdAddress } from './clamd-client.js';
import { ClamdClient, ScannerError } from './clamd-client.js';

export type FileScan =
  { readonly state: 'clean' } | { readonly state: 'infected'; readonly signature: string } | { readonly state: 'unscanned'; readonly reason: string };

export interface FileScannerOptions {
  readonly timeoutMs?: number;
  /**
   * After RELOAD, until clamd scans with the new signatures. clamd loads them beside the old ones
   * and its protocol says nothing when it is done, so the rescan waits this long (a full ClamAV
   * database loads in well under a minute) before scanning again.
   */
  readonly reloaded?: () => Promise<void>;
}

const RELOAD_SETTLE_MS = 60_000;

export class FileScanner {
  readonly #client: ClamdClient | undefined;
  readonly #reloaded: () => Promise<void>;

  constructor(
    address: ClamdAddress | undefined,
    private readonly log: Logger,
    options: FileScannerOptions = {},
  ) {
    this.#client = address === undefined ? undefined : new ClamdClient({ address, timeoutMs: options.timeoutMs });
    this.#reloaded = options.reloaded ?? (() => new Promise((resolve) => setTimeout(resolve, RELOAD_SETTLE_MS).unref()));
  }

  get configured(): boolean {
    return this.#client !== undefined;
  }

  async scan(bytes: Uint8Array): Promise<FileScan> {
    if (this.#client === undefined) return { state: 'unscanned', reason: 'scanner_not_configured' };
    try {
      const verdict = await this.#client.scan(bytes);
      return verdict.infected ? { state: 'infected', signature: verdict.signature } : { state: 'clean' };
    } catch (error) {
      if (!(error instanceof ScannerError)) throw error;
      this.log.warn({ code: error.code }, 'a file could not be scanned');
      return { state: 'unscanned', reason: error.code };
    }
  }

  /** RELOAD, then wait until the new signatures are in use; false when there is no scanner or it did not answer. */
  async reload(): Promise<boolean> {
    if (this.#client === undefined) return false;
    try {
      await this.#client.reload();
    } catch (error) {
      if (!(error instanceof ScannerError)) throw error;
      this.log.warn({ code: error.code }, 'the virus scanner did not reload its signatures; the rescan uses the ones it has');
      return true;
    }
    await this.#reloaded();
    return true;
  }
}
