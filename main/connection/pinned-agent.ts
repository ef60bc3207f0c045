/**
 * HTTPS to the provisioned server only when its certificate's key matches a pin. The check runs
 * on the TLS handshake, before the connection is handed to a request, so not one byte of a
 * request (or a token) reaches a server that does not hold the pinned key. CA validation is not
 * what protects this connection: the pin is (a self-signed certificate is fine).
 */
import crypto from 'node:crypto';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { CodedError } from '../../common/errors/coded-error.js';

export class PinMismatchError extends CodedError<'server_pin_mismatch'> {
  constructor(host: string) {
    super('server_pin_mismatch', `The server at ${host} did not present the certificate key IT pinned: the connection was refused. Tell IT.`);
    this.name = 'PinMismatchError';
  }
}

export function spkiPinOf(socket: tls.TLSSocket): string | undefined {
  const certificate = socket.getPeerCertificate();
  if (certificate.raw === undefined) return undefined;
  const spki = new crypto.X509Certificate(certificate.raw).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('base64');
}

type ConnectCallback = (error: Error | null, stream: Duplex) => void;

class PinnedAgent extends https.Agent {
  readonly #pins: ReadonlySet<string>;
  /** Sockets still in their handshake: Node's Agent holds a socket only once it is handed over, so destroy() must end these itself. */
  readonly #handshaking = new Set<tls.TLSSocket>();
  #destroyed = false;

  constructor(pins: readonly string[]) {
    super({ keepAlive: true, maxSockets: 8 });
    this.#pins = new Set(pins);
  }

  // Node's Agent calls createConnection(options, callback) and accepts the socket through the callback later.
  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): undefined {
    let settled = false;
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    this.#handshaking.add(socket);
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      this.#handshaking.delete(socket);
      callback?.(error, socket);
    };
    if (this.#destroyed) {
      socket.destroy();
      settle(new Error('The connection to the server was closed: this app has stopped talking to it.'));
      return undefined;
    }
    socket.once('secureConnect', () => {
      const pin = spkiPinOf(socket);
      if (pin === undefined || !this.#pins.has(pin)) {
        const error = new PinMismatchError(options.host ?? 'the server');
        socket.destroy(error);
        settle(error);
        return;
      }
      settle(null);
    });
    socket.once('error', (error: Error) => settle(error));
    socket.once('close', () => settle(new Error('The connection to the server was closed before it was set up.')));
    return undefined;
  }

  /**
   * Ends every connection, those still in their handshake too, and refuses new ones: once the
   * app stops (or a session is wiped) not one more request, nor a connection held open, reaches
   * the server.
   */
  override destroy(): void {
    this.#destroyed = true;
    for (const socket of this.#handshaking) socket.destroy();
    super.destroy();
  }
}

export function pinnedAgent(pins: readonly string[]): https.Agent {
  return new PinnedAgent(pins);
}
