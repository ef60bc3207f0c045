/**
 * Whether the virus scanner answers, for /healthz and for the one line at start: a server without
 * clamd still runs, and says so (issue 13). `not_configured`: no SPORTELLO_CLAMD_SOCKET or
 * SPORTELLO_CLAMD_TCP; `unavailable`: configured, and clamd does not answer PING.
 */
import type { Logger } from 'pino';
import type { ClamdAddress } from './clamd-client.js';
import { ClamdClient, ScannerError } from './clamd-client.js';

export type ScannerState = 'not_configured' | 'ok' | 'unavailable';

/** A health check waits no longer than this for PONG. */
const PING_TIMEOUT_MS = 2_000;

export class ScannerHealth {
  private readonly client: ClamdClient | undefined;

  constructor(
    private readonly address: ClamdAddress | undefined,
    private readonly log: Logger,
  ) {
    this.client = address === undefined ? undefined : new ClamdClient({ address, timeoutMs: PING_TIMEOUT_MS });
  }

  async state(): Promise<ScannerState> {
    if (this.client === undefined) return 'not_configured';
    try {
      await this.client.ping();
      return 'ok';
    } catch (error) {
      if (error instanceof ScannerError) return 'unavailable';
      throw error;
    }
  }

  /** The line at start: what scans files, or that nothing does. */
  async announce(): Promise<ScannerState> {
    const state = await this.state();
    if (state === 'not_configured') {
      this.log.warn('no virus scanner configured (SPORTELLO_CLAMD_SOCKET or SPORTELLO_CLAMD_TCP): files are not scanned');
    } else if (state === 'unavailable') {
      this.log.warn({ scanner: this.where() }, 'the virus scanner does not answer: files cannot be scanned until it does');
    } else {
      this.log.info({ scanner: this.where() }, 'virus scanner answers');
    }
    return state;
  }

  private where(): string {
    const address = this.address;
    if (address === undefined) return '';
    return 'socketPath' in address ? address.socketPath : `${address.host}:${address.port}`;
  }
}
