/**
 * The clamd client (server/scanning/clamd-client.ts) against a real clamd started here with a
 * signature database this test writes (test/helpers/clamd.ts): a clean file is clean, the EICAR
 * test file and a file holding the test's own marker are found with their signatures' names,
 * a stream over clamd's StreamMaxLength and a daemon that stalls or is gone are coded errors.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClamdClient } from '../../server/scanning/clamd-client.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { EICAR, EICAR_SIGNATURE, startClamd, TEST_MARKER, TEST_SIGNATURE } from '../helpers/clamd.js';
import * as sample from '../helpers/file-samples.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let clamd: RunningClamd;
beforeAll(async () => {
  clamd = await startClamd({ streamMaxLength: '1M' });
}, 180_000);
afterAll(async () => {
  await clamd.stop();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );

describe('the clamd client', () => {
  it('pings clamd and reads its version', async () => {
    await expect(clamd.client().ping()).resolves.toBeUndefined();
    expect(await clamd.client().version()).toMatch(/^ClamAV \d+\.\d+/);
  });

  it('finds a clean file clean, in one chunk or many', async () => {
    await expect(clamd.client().scan(sample.pdf())).resolves.toEqual({ infected: false });
    await expect(clamd.client({ chunkBytes: 7 }).scan(sample.jpeg(5000))).resolves.toEqual({ infected: false });
    await expect(clamd.client().scan(new Uint8Array())).resolves.toEqual({ infected: false });
  });

  it('finds the EICAR test file by its hash signature, and names it', async () => {
    const verdict = await clamd.client().scan(EICAR);
    expect(verdict.infected).toBe(true);
    expect(verdict.infected && verdict.signature).toMatch(new RegExp(`^${EICAR_SIGNATURE}(\\.UNOFFICIAL)?$`));
  });

  it('finds the test’s own marker inside a larger file, across chunk boundaries', async () => {
    const file = Buffer.concat([sample.pdf(), TEST_MARKER, sample.jpeg(3000)]);
    const verdict = await clamd.client({ chunkBytes: 13 }).scan(file);
    expect(verdict.infected && verdict.signature).toMatch(new RegExp(`^${TEST_SIGNATURE.replaceAll('.', '\\.')}(\\.UNOFFICIAL)?$`));
  });

  it('says so, with a code, when a file is over the scanner’s limit', async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    // clamd's own answer (StreamMaxLength 1M): "INSTREAM size limit exceeded. ERROR".
    expect(await codeOf(clamd.client().scan(big))).toBe('scanner_file_too_large');
    // The client's limit, before a byte is sent.
    expect(await codeOf(clamd.client({ maxBytes: 1024 }).scan(new Uint8Array(1025)))).toBe('scanner_file_too_large');
    // And clamd still answers afterwards.
    await expect(clamd.client().scan(sample.pdf())).resolves.toEqual({ infected: false });
  });

  it('gives up on a scanner that accepts the connection and never answers', async () => {
    const { dir, remove } = makeTempDir('sportello-stalled-');
    const sockets: net.Socket[] = [];
    const stalled = net.createServer((socket) => sockets.push(socket));
    const socketPath = path.join(dir, 'stalled.sock');
    await new Promise<void>((resolve) => stalled.listen(socketPath, resolve));
    try {
      expect(await codeOf(new ClamdClient({ address: { socketPath }, timeoutMs: 300 }).scan(sample.pdf()))).toBe('scanner_timeout');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => stalled.close(resolve));
      remove();
    }
  });

  // The regression: clamd answers "size limit exceeded" and closes while the client is still
  // writing; the client's next write fails (EPIPE) before it has read that answer, and Node drops
  // the unread bytes. This stand-in hangs up without the answer, the same as the client sees it then.
  it('still calls a file too large when clamd hangs up on the stream before its answer is read', async () => {
    const { dir, remove } = makeTempDir('sportello-hang-up-');
    let answersPing = true;
    const hangingUp = net.createServer((socket) => {
      let seen = Buffer.alloc(0);
      socket.on('error', () => undefined);
      socket.on('data', (data: Buffer) => {
        seen = Buffer.concat([seen, data]);
        if (seen.subarray(0, 6).toString('latin1') === 'zPING\0') {
          if (answersPing) socket.end('PONG\0');
          else socket.destroy();
        } else if (seen.length > 64 * 1024) socket.destroy();
      });
    });
    const socketPath = path.join(dir, 'hang-up.sock');
    await new Promise<void>((resolve) => hangingUp.listen(socketPath, resolve));
    try {
      const client = new ClamdClient({ address: { socketPath }, chunkBytes: 16 * 1024 });
      expect(await codeOf(client.scan(new Uint8Array(4 * 1024 * 1024)))).toBe('scanner_file_too_large');
      // A daemon that is going away (no PONG either) did not refuse the length.
      answersPing = false;
      expect(await codeOf(client.scan(new Uint8Array(4 * 1024 * 1024)))).toBe('scanner_failed');
    } finally {
      await new Promise((resolve) => hangingUp.close(resolve));
      remove();
    }
  });

  it('reports the scanner unavailable when clamd is stopped, or nothing listens', async () => {
    const client = clamd.client();
    await clamd.stop();
    expect(fs.existsSync(clamd.dir)).toBe(false);
    expect(await codeOf(client.scan(EICAR))).toBe('scanner_unavailable');
    expect(await codeOf(client.ping())).toBe('scanner_unavailable');
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as net.AddressInfo;
        probe.close(() => resolve(address.port));
      });
    });
    expect(await codeOf(new ClamdClient({ address: { host: '127.0.0.1', port } }).ping())).toBe('scanner_unavailable');
  });
});
