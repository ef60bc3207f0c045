/**
 * A TCP proxy between the desktop client and the server, for tests of a flaky network: it can
 * cut every connection (a dropped Wi-Fi), and hold the server's answers back (a request that
 * reached the server but whose answer never came), slow the server's answers down (a poor link), and
 * refuse every connection (the server out of reach until further notice), and stall (stop reading the server's bytes,
 * as a client too slow to read them: they pile up in the server's buffers). TLS passes through untouched, so the client
 * still checks the real server's certificate pin.
 */
import net from 'node:net';

export class TcpProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #targetPort: number;
  #holding = false;
  #refusing = false;
  #stalled = false;
  readonly #upstreams = new Set<net.Socket>();
  #answerDelayMs = 0;
  port = 0;

  private constructor(targetPort: number) {
    this.#targetPort = targetPort;
    this.#server = net.createServer((client) => {
      if (this.#refusing) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.#targetPort, '127.0.0.1');
      this.#sockets.add(client).add(upstream);
      this.#upstreams.add(upstream);
      if (this.#stalled) upstream.pause();
      client.on('data', (chunk: Buffer) => upstream.write(chunk));
      // Answers wait their delay in order: a TLS stream cannot have one chunk overtake another.
      const delayed: Array<{ due: number; chunk: Buffer }> = [];
      let timer: NodeJS.Timeout | undefined;
      const release = () => {
        timer = undefined;
        while (delayed.length > 0 && (delayed[0]?.due ?? 0) <= Date.now()) client.write(delayed.shift()?.chunk ?? Buffer.alloc(0));
        const next = delayed[0];
        if (next !== undefined) timer = setTimeout(release, next.due - Date.now());
      };
      upstream.on('data', (chunk: Buffer) => {
        // Held answers are dropped, as a network that lost them would.
        if (this.#holding) return;
        delayed.push({ due: Math.max(Date.now() + this.#answerDelayMs, delayed.at(-1)?.due ?? 0), chunk });
        if (timer === undefined) release();
      });
      const close = () => {
        clearTimeout(timer);
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
        this.#upstreams.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** From now on connections go to this port (the server restarted elsewhere); open ones are cut. */
  retarget(port: number): void {
    this.#targetPort = port;
    this.cut();
  }

  /** Drops every open connection; new ones are still accepted. */
  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** From now on the server's bytes do not reach the client (requests still reach the server). */
  holdAnswers(holding: boolean): void {
    this.#holding = holding;
  }

  /** From now on every answer from the server reaches the client `ms` later (0: at once). */
  delayAnswers(ms: number): void {
    this.#answerDelayMs = ms;
  }

  /** From now on (or no longer) nothing the server sends is read: requests still reach it, its bytes wait in the buffers. */
  stall(stalled: boolean): void {
    this.#stalled = stalled;
    for (const upstream of this.#upstreams) {
      if (stalled) upstream.pause();
      else upstream.resume();
    }
  }

  /** From now on (or no longer) the server cannot be reached: open connections are cut, new ones closed at once. */
  refuse(refusing: boolean): void {
    this.#refusing = refusing;
    if (refusing) this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
