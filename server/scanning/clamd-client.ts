/**
 * A client of clamd's own protocol (clamd(8), "COMMANDS"): PING, VERSION and INSTREAM over a unix
 * socket or TCP, each on a connection of its own, with the `z` form of the commands (NUL-ended
 * command and reply). INSTREAM sends the file in chunks, each a 4-byte big-endian length and its
 * bytes, ended by a zero length; clamd answers `stream: OK`, `stream: <signature> FOUND` or
 * `<reason> ERROR` (a file over its StreamMaxLength: `INSTREAM size limit exceeded. ERROR`).
 *
 * Ours rather than an npm package: `clamscan` (the maintained one) is built around running the
 * clamscan/clamdscan programs, with clamd's socket as one mode among several and callback-era
 * options; `clamdjs` has had one release and no timeouts on a stalled daemon. This is the part we
 * need, with coded errors and tests against a real clamd (test/safety/clamd-client.test.ts).
 */
import net from 'node:net';
import { CodedError } from '../../common/errors/coded-error.js';

export type ScannerErrorCode = 'scanner_unavailable' | 'scanner_timeout' | 'scanner_file_too_large' | 'scanner_failed';

export class ScannerError extends CodedError<ScannerErrorCode> {
  constructor(code: ScannerErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'ScannerError';
  }
}

export type ClamdAddress = { readonly socketPath: string } | { readonly host: string; readonly port: number };

export interface ClamdOptions {
  readonly address: ClamdAddress;
  /** Without a byte from clamd for this long, the operation fails with scanner_timeout. */
  readonly timeoutMs?: number;
  /** Bytes per INSTREAM chunk. */
  readonly chunkBytes?: number;
  /** Refuse before sending a file larger than this (set it to clamd's StreamMaxLength). */
  readonly maxBytes?: number;
}

export type ScanVerdict = { readonly infected: false } | { readonly infected: true; readonly signature: string };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CHUNK_BYTES = 64 * 1024;

const describe = (address: ClamdAddress) => ('socketPath' in address ? address.socketPath : `${address.host}:${address.port}`);

export class ClamdClient {
  private readonly timeoutMs: number;
  private readonly chunkBytes: number;

  constructor(private readonly options: ClamdOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  /** Resolves when clamd answers PONG. */
  async ping(): Promise<void> {
    const reply = await this.exchange('PING', async () => {});
    if (reply !== 'PONG') throw new ScannerError('scanner_failed', `clamd at ${describe(this.options.address)} answered PING with “${reply.slice(0, 200)}”.`);
  }

  /** `ClamAV 1.4.6/27000/Tue Dec  1 09:00:00 2026`: the engine, and the signatures' version and date. */
  async version(): Promise<string> {
    return this.exchange('VERSION', async () => {});
  }

  /**
   * Asks clamd to load its signature databases again (after freshclam, or a signature added);
   * clamd answers RELOADING and loads them beside the ones in use (ConcurrentDatabaseReload).
   */
  async reload(): Promise<void> {
    const reply = await this.exchange('RELOAD', async () => {});
    if (reply !== 'RELOADING')
      throw new ScannerError('scanner_failed', `clamd at ${describe(this.options.address)} answered RELOAD with “${reply.slice(0, 200)}”.`);
  }

  async scan(bytes: Uint8Array): Promise<ScanVerdict> {
    if (this.options.maxBytes !== undefined && bytes.length > this.options.maxBytes) {
      throw new ScannerError('scanner_file_too_large', `The file (${bytes.length} bytes) is larger than the scanner takes (${this.options.maxBytes} bytes).`, {
        limit: this.options.maxBytes,
      });
    }
    try {
      const reply = await this.exchange('INSTREAM', async (write) => {
        for (let at = 0; at < bytes.length; at += this.chunkBytes) {
          const chunk = bytes.subarray(at, at + this.chunkBytes);
          const length = new Uint8Array(4);
          new DataView(length.buffer).setUint32(0, chunk.length, false);
          await write(length);
          await write(chunk);
        }
        await write(new Uint8Array(4));
      });
      return verdictOf(reply);
    } catch (error) {
      if (!(error instanceof StreamCutShort)) throw error;
      // clamd stops reading a stream only to refuse it (over its StreamMaxLength) or because it is
      // going away. Its answer was on the way when our next write hit the closed socket, and Node
      // drops a socket's unread bytes on a write error; a daemon still answering PING refused the length.
      await this.ping();
      throw new ScannerError('scanner_file_too_large', 'The file is larger than the virus scanner takes (its StreamMaxLength): clamd stopped reading it.', {
        sentBytes: error.sentBytes,
      });
    }
  }

  /** One command on a connection of its own: its body written, clamd's NUL-ended reply read. */
  private exchange(command: string, body: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<string> {
    // Rejects with a ScannerError, or StreamCutShort when clamd hung up on the body before answering.
    const address = this.options.address;
    return new Promise<string>((resolve, reject) => {
      const socket = 'socketPath' in address ? net.createConnection(address.socketPath) : net.createConnection(address.port, address.host);
      const received: Buffer[] = [];
      let settled = false;
      let commandWritten = false;
      let sentBytes = 0;
      let bodyWritten = false;
      const cutShort = () => sentBytes > 0 && !bodyWritten;
      const finish = (error: ScannerError | StreamCutShort | undefined, reply?: string) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (error === undefined) resolve(reply ?? '');
        else reject(error);
      };
      const replyText = () =>
        Buffer.concat(received)
          .toString('utf8')
          .replace(/\0[\s\S]*$/, '')
          .trim();
      socket.setTimeout(this.timeoutMs, () => {
        finish(new ScannerError('scanner_timeout', `clamd at ${describe(address)} did not answer ${command} within ${this.timeoutMs} ms.`));
      });
      socket.on('data', (data: Buffer) => {
        received.push(data);
        if (data.includes(0)) finish(undefined, replyText());
      });
      // clamd closes the connection after a refusal (a stream over its limit) while we may still be writing.
      socket.on('end', () => {
        if (received.length > 0) finish(undefined, replyText());
        else if (cutShort()) finish(new StreamCutShort(command, sentBytes));
        else finish(new ScannerError('scanner_failed', `clamd at ${describe(address)} closed the connection without answering ${command}.`));
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (received.length > 0) return finish(undefined, replyText());
        if (cutShort() && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) return finish(new StreamCutShort(command, sentBytes));
        const connecting = socket.connecting || ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EHOSTUNREACH', 'ETIMEDOUT'].includes(error.code ?? '');
        finish(
          connecting
            ? new ScannerError(
                'scanner_unavailable',
                `No virus scanner answers at ${describe(address)} (${error.code ?? error.message}).`,
                { address: describe(address) },
                { cause: error },
              )
            : new ScannerError(
                'scanner_failed',
                `The connection to clamd at ${describe(address)} failed during ${command} (${error.code ?? error.message}).`,
                undefined,
                {
                  cause: error,
                },
              ),
        );
      });
      // The writer waits for the socket to drain, or to close under it.
      let wake: (() => void) | undefined;
      const wakeUp = () => {
        const waiting = wake;
        wake = undefined;
        waiting?.();
      };
      socket.on('drain', wakeUp);
      socket.on('close', wakeUp);
      const write = (bytes: Uint8Array) =>
        new Promise<void>((done) => {
          if (settled || socket.destroyed) return done();
          if (commandWritten) sentBytes += bytes.length;
          if (socket.write(bytes)) done();
          else wake = done;
        });
      socket.once('connect', () => {
        void write(Buffer.from(`z${command}\0`, 'latin1'))
          .then(() => {
            commandWritten = true;
            return body(write);
          })
          .then(() => {
            bodyWritten = true;
          })
          .catch(() => undefined);
      });
    });
  }
}

/** clamd closed the connection while the command's body was still being written, before any answer came through. */
class StreamCutShort extends Error {
  constructor(
    command: string,
    readonly sentBytes: number,
  ) {
    super(`clamd closed the connection during ${command}, after ${sentBytes} bytes, before an answer arrived.`);
    this.name = 'StreamCutShort';
  }
}

function verdictOf(reply: string): ScanVerdict {
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found?.[1] !== undefined) return { infected: true, signature: found[1] };
  if (reply === 'stream: OK') return { infected: false };
  if (/size limit exceeded/i.test(reply)) {
    throw new ScannerError('scanner_file_too_large', 'The file is larger than the virus scanner takes (its StreamMaxLength).', { reply: reply.slice(0, 200) });
  }
  throw new ScannerError('scanner_failed', `The virus scanner could not scan the file: “${reply.slice(0, 200)}”.`, { reply: reply.slice(0, 200) });
}
