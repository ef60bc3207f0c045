/**
 * A destroyed pinned agent leaves no connection behind. The agent hands a socket to Node's Agent
 * only once its TLS handshake (and the pin check) is done, so Node's destroy() never saw a socket
 * still in its handshake: the app quit (or wiped a session) while a request was connecting, the
 * handshake then finished, the request went out after all, and its keep-alive connection stayed
 * open to the server (a server closing after it waited out its keep-alive timeout).
 */
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinnedAgent } from '../../main/connection/pinned-agent.js';
import { ensureDevCertificate } from '../../server/tls/dev-certificate.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let temp: ReturnType<typeof makeTempDir>;
let server: https.Server;
let url: string;
let pin: string;
const requestsSeen: string[] = [];
const open = new Set<net.Socket>();

beforeEach(async () => {
  temp = makeTempDir('sportello-agent-');
  const certificate = await ensureDevCertificate(temp.dir);
  pin = certificate.spkiSha256;
  server = https.createServer({ cert: fs.readFileSync(certificate.certFile), key: fs.readFileSync(certificate.keyFile) }, (request, response) => {
    requestsSeen.push(request.url ?? '');
    response.end('{}');
  });
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  url = `https://127.0.0.1:${address.port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  requestsSeen.length = 0;
  temp.remove();
});

/** Sends one GET through `agent`; settles with the status, or the error that ended it. */
function get(agent: https.Agent, path: string): Promise<number | Error> {
  return new Promise((resolve) => {
    const request = https.get(`${url}${path}`, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', resolve);
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a destroyed pinned agent', () => {
  it('ends a connection still in its handshake: the request never reaches the server', async () => {
    const agent = pinnedAgent([pin]);
    const answer = get(agent, '/v1/conversations');
    agent.destroy();

    expect(await answer).toBeInstanceOf(Error);
    await until(() => open.size === 0);
    expect(requestsSeen).toEqual([]);
    expect(open.size).toBe(0);
  });

  it('ends the kept-alive connections and refuses new requests', async () => {
    const agent = pinnedAgent([pin]);
    expect(await get(agent, '/first')).toBe(200);
    expect(open.size).toBe(1);

    agent.destroy();
    await until(() => open.size === 0);
    expect(open.size).toBe(0);

    expect(await get(agent, '/after')).toBeInstanceOf(Error);
    expect(requestsSeen).toEqual(['/first']);
  });
});
