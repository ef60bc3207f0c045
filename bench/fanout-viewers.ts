/**
 * The viewers of bench:fanout: supervisors (they may see every conversation) seeded directly in the
 * store, each signed in on several workstations, and their event sockets opened as the desktop
 * app opens them: a bearer token and a device proof over a fresh server nonce.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import WebSocket from 'ws';
import { deviceProofMessage } from '../common/api/device-proof.js';
import { PROOF_HEADER } from '../common/api/feed-endpoints.js';
import { keyFingerprint } from '../server/devices/device-proofs.js';
import { tokenHash } from '../server/sessions/session-store.js';
import type { Kysely } from 'kysely';
import { openDatabase } from '../server/store/open-database.js';
import type { InboxDatabase } from '../server/store/schema.js';

export interface Viewer {
  readonly agentId: number;
  readonly machineId: string;
  readonly privateKey: crypto.KeyObject;
  readonly accessToken: string;
  /** The loopback address its requests come from: one per agent, so the per-address nonce limit is not what is measured. */
  readonly sourceAddress: string;
}

/** Seeds `agents` supervisors with one device session on each of `perAgent` workstations, before the server starts (in its PostgreSQL database when it has one). */
export async function seedViewers(dataDir: string, agents: number, perAgent: number, databaseUrl?: string): Promise<Viewer[]> {
  const store = await openDatabase(dataDir, databaseUrl);
  const now = Date.now();
  const viewers: Viewer[] = [];
  try {
    for (let a = 0; a < agents; a += 1) {
      const agent = await store.db
        .insertInto('agents')
        .values({
          username: `bench.supervisor.${a}`,
          display_name: `Supervisor ${a}`,
          roles: 'supervisor',
          status: 'active',
          created_by: 'bench',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Each supervises the default team, which every conversation of the bench joins.
      const team = await store.db.selectFrom('teams').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
      await store.db.insertInto('team_supervisors').values({ team_id: team.id, agent_id: agent.id, created_at: now }).execute();
      for (let d = 0; d < perAgent; d += 1) viewers.push(await seedDeviceSession(store.db, agent.id, `${a}-${d}`, a, now));
    }
  } finally {
    await store.close();
  }
  return viewers;
}

/** One approved workstation of `agentId` signed in with a device session, as the app would be: what its event socket needs. `address`: which of 250 loopback addresses its requests come from. */
export async function seedDeviceSession(db: Kysely<InboxDatabase>, agentId: number, label: string, address: number, now: number): Promise<Viewer> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const rawKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const machineId = crypto.randomBytes(32).toString('hex');
  const device = await db
    .insertInto('devices')
    .values({
      machine_id: machineId,
      public_key: rawKey,
      key_fingerprint: keyFingerprint(rawKey),
      hostname: `bench-${label}`,
      os: 'linux',
      app_version: '0.1.0',
      storage_backend: 'gnome_libsecret',
      label: `Bench desk ${label}`,
      status: 'active',
      approved_by: 'bench',
      approved_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const accessToken = `sa_${crypto.randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('sessions')
    .values({
      kind: 'device',
      agent_id: agentId,
      device_id: device.id,
      access_hash: tokenHash(accessToken),
      // The access token outlives the run: the bench measures delivery, not refresh.
      access_expires_at: now + 60 * 60 * 1000,
      refresh_hash: null,
      expires_at: now + 60 * 60 * 1000,
      source_address: '127.0.0.1',
      created_at: now,
      last_used_at: now,
    })
    .execute();
  return { agentId, machineId, privateKey, accessToken, sourceAddress: `127.0.1.${1 + (address % 250)}` };
}

/** A fresh nonce from POST /v1/auth/nonce, asked from the viewer's own address. */
function nonceFor(port: number, viewer: Viewer): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/v1/auth/nonce', method: 'POST', localAddress: viewer.sourceAddress }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const nonce = response.statusCode === 200 ? (JSON.parse(text) as { nonce?: unknown }).nonce : undefined;
        if (typeof nonce === 'string') resolve(nonce);
        else reject(new Error(`nonce: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

export interface OpenedSocket {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/**
 * Opens a viewer's event socket, live from the feed's end (no replay). `onFrame` gets each frame's
 * bytes with the time it arrived; it resolves once the socket is open.
 */
export async function openViewerSocket(port: number, viewer: Viewer, onFrame: (data: Buffer, at: number) => void): Promise<OpenedSocket> {
  const nonce = await nonceFor(port, viewer);
  const message = Buffer.from(deviceProofMessage('events.connect', viewer.machineId, nonce, ''), 'utf8');
  const signature = crypto.sign(null, message, viewer.privateKey).toString('base64url');
  const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/events`, {
    headers: { authorization: `Bearer ${viewer.accessToken}`, [PROOF_HEADER]: `${viewer.machineId}.${nonce}.${signature}` },
    localAddress: viewer.sourceAddress,
    perMessageDeflate: false,
  });
  socket.on('message', (data: Buffer) => onFrame(data, performance.now()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`event socket refused: HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, closed };
}
