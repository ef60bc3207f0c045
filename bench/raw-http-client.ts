/**
 * The load generator's HTTP/1.1 client: keep-alive connections over raw sockets, one request in
 * flight each, writing request bytes built before the timed phase and reading only the status
 * line, the headers and as many body bytes as Content-Length says. Node's http client costs about
 * as much CPU per request as the server's whole ingest path does; on a two-core machine the
 * generator would otherwise take the server's core and the figures would measure the client.
 */
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) /;
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)\s*\r\n/i;
const CHUNKED = /\r\ntransfer-encoding:\s*chunked\s*\r\n/i;
const CLOSES = /\r\nconnection:\s*close\s*\r\n/i;

/** A POST in wire format: request line, headers and body. */
export function encodePost(host: string, path: string, headers: Readonly<Record<string, string>>, body: Buffer): Buffer {
  const lines = [
    `POST ${path} HTTP/1.1`,
    `host: ${host}`,
    `content-length: ${body.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

interface Pending {
  resolve: (status: number) => void;
  reject: (error: Error) => void;
}

export class RawHttpConnection {
  readonly #socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;
  #closed: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' })));
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawHttpConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get usable(): boolean {
    return this.#closed === undefined;
  }

  /** Sends one encoded request; resolves with the response's status once the whole response is read. */
  send(request: Buffer): Promise<number> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (this.#pending !== undefined) return Promise.reject(new Error('one request at a time per connection'));
    return new Promise<number>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headerEnd = this.#buffer.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.#buffer.toString('latin1', 0, headerEnd + 2);
    const status = STATUS_LINE.exec(head);
    const length = CONTENT_LENGTH.exec(head);
    if (status === null || length === null || CHUNKED.test(head)) {
      this.#fail(new Error(`unreadable response head: ${JSON.stringify(head.slice(0, 200))}`));
      this.#socket.destroy();
      return;
    }
    const end = headerEnd + HEADER_END.length + Number(length[1]);
    if (this.#buffer.length < end) return;
    if (this.#buffer.length > end) {
      this.#fail(new Error('the server sent more than one response'));
      this.#socket.destroy();
      return;
    }
    this.#buffer = Buffer.alloc(0);
    const pending = this.#pending;
    this.#pending = undefined;
    if (CLOSES.test(head)) this.#socket.end();
    pending?.resolve(Number(status[1]));
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}
