/**
 * The real client core on real SQLCipher files against a listening server: a colleague's note
 * mentioning the agent reaches their workstation by the feed, is kept in the encrypted cache
 * (read and searched there offline) and shows a desktop notification in the system's language,
 * the text only when the policy allows previews; a note cannot be added offline, with its own
 * words; an admin ending the workstation's session signs it out at once.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import type { IpcEventPayload, SearchHit } from '../../common/ipc/contract.js';
import type { NotePage } from '../../common/api/notes.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { approvedDevice, enrolledAgent, GOOD_PASSWORD, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

interface Scene {
  readonly t: TestServer;
  readonly desk: TestDevice;
  readonly workstation: CoreBehindProxy;
  readonly sara: EnrolledAgent;
  readonly ipc: Array<{ event: string; payload: unknown }>;
}

/** Bruno signed in on a workstation of his own; Sara, a supervisor, at another desk. */
async function scene(notificationPreviews: boolean): Promise<Scene> {
  const t = await startTestServer({ tls: true, policy: { notificationPreviews } });
  cleanups.push(() => t.close());
  const desk = await approvedDevice(t, 'desk');
  const bruno = await enrolledAgent(t, desk, 'bruno');
  const sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  const workstation = await startCoreBehindProxy(t, cleanups);
  const ipc: Array<{ event: string; payload: unknown }> = [];
  workstation.core.onEvent((event, payload) => ipc.push({ event, payload }));
  const unpaired = (await workstation.waitFor('unpaired')) as Extract<AppState, { screen: 'unpaired' }>;
  if (unpaired.machineId === null) throw new Error('no machine ID');
  await t.server.identity.devices.allow([{ machineId: unpaired.machineId, label: 'Bruno’s desk' }], IT, 'single');
  const pairing = await workstation.call<{ code: string }>('startPairing');
  await t.server.identity.pairing.approve(pairing.code.replace('-', ''), IT);
  await workstation.waitFor('signed_out');
  await workstation.call('login', { username: 'bruno', password: GOOD_PASSWORD, secondFactor: { kind: 'recovery', code: bruno.recoveryCodes[0] } });
  await workstation.untilConnection(true);
  await workstation.untilFirstLoad();
  return { t, desk, workstation, sara, ipc };
}

async function saraNotes(s: Scene, conversationId: number, body: string): Promise<number> {
  const added = await s.desk.call<{ note: { id: number } }>(
    'POST',
    `/v1/conversations/${conversationId}/notes`,
    { clientNoteId: crypto.randomUUID(), body },
    s.sara.session.accessToken,
  );
  if (added.status !== 201) throw new Error(`Sara's note: ${added.status} ${JSON.stringify(added.body)}`);
  return added.body.note.id;
}

const gotMention = (s: Scene, noteId: number) =>
  eventually(
    () =>
      Promise.resolve(
        s.ipc.some(
          ({ event, payload }) =>
            event === 'inbox' && (payload as IpcEventPayload<'inbox'>).type === 'mention' && (payload as { note: { id: number } }).note.id === noteId,
        ) || undefined,
      ),
    10_000,
    'the mention on the workstation',
  );

describe('notes on the workstation', () => {
  it('tells the agent a colleague mentioned them, keeps the note in the cache, and reads and searches it offline', async () => {
    const s = await scene(false);
    const { conversationId } = await customerWrites(s.t, customer(s.t, 0), 'My order is late');
    const noteId = await saraNotes(s, conversationId, '@bruno the courier says Thursday, be gentle');
    await gotMention(s, noteId);
    const notifications = s.workstation.platform.desktop.notifications;
    expect(notifications).toContainEqual({ title: `Sara mentioned you in a note · ${customer(s.t, 0).name}`, body: null });
    // Without previews, the note's words are nowhere on the desktop.
    expect(JSON.stringify(notifications)).not.toContain('courier');

    s.workstation.network.refuse(true);
    await s.workstation.untilConnection(false);
    const notes = await s.workstation.call<NotePage>('listNotes', { conversationId });
    expect(notes.items.map((note) => [note.id, note.body, note.mentions.map((mention) => mention.username)])).toEqual([
      [noteId, '@bruno the courier says Thursday, be gentle', ['bruno']],
    ]);
    const { hits } = await s.workstation.call<{ hits: SearchHit[] }>('search', { query: 'courier thursday' });
    expect(hits.filter((hit) => hit.kind === 'note').map((hit) => [hit.noteId, hit.conversationId])).toEqual([[noteId, conversationId]]);
    // Offline, a note cannot be added: said in its own words; nothing is queued.
    expect(await dispatchIpc(s.workstation.core, 'addNote', { conversationId, clientNoteId: crypto.randomUUID(), body: 'Called back' })).toMatchObject({
      ok: false,
      code: 'note_needs_server',
    });
    // Bad notes are refused before any trip, and the IPC shape is checked.
    expect(await dispatchIpc(s.workstation.core, 'addNote', { conversationId, clientNoteId: crypto.randomUUID(), body: '   ' })).toMatchObject({
      ok: false,
      code: 'note_empty',
    });
    expect(await dispatchIpc(s.workstation.core, 'addNote', { conversationId, clientNoteId: 'not-a-uuid', body: 'x' })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    });
    s.workstation.network.refuse(false);
    await s.workstation.untilConnection(true);
    const added = await s.workstation.call<{ id: number; author: { username: string } }>('addNote', {
      conversationId,
      clientNoteId: crypto.randomUUID(),
      body: 'Called back, all good',
    });
    expect(added.author.username).toBe('bruno');
    const rows = await s.t.server.database.db.selectFrom('notes').select('body').where('conversation_id', '=', conversationId).orderBy('id').execute();
    expect(rows.map((row) => row.body)).toEqual(['@bruno the courier says Thursday, be gentle', 'Called back, all good']);
  });

  it('shows the note’s text in the notification when the policy allows previews', async () => {
    const s = await scene(true);
    const { conversationId } = await customerWrites(s.t, customer(s.t, 0), 'Hello?');
    const noteId = await saraNotes(s, conversationId, 'Can you take this one, @bruno?');
    await gotMention(s, noteId);
    expect(s.workstation.platform.desktop.notifications).toContainEqual({
      title: `Sara mentioned you in a note · ${customer(s.t, 0).name}`,
      body: 'Can you take this one, @bruno?',
    });
  });
});

describe('an admin ending the workstation’s session', () => {
  it('signs the workstation out at once, saying why, and audits who did it', async () => {
    const s = await scene(false);
    const sessions = await s.t.server.identity.sessions.list();
    const brunos = sessions.find((session) => session.agent.username === 'bruno' && session.device?.label === 'Bruno’s desk');
    if (brunos === undefined) throw new Error('Bruno’s session is not listed');
    expect(brunos.device?.hostname).toBe(s.workstation.platform.machine.hostname());
    const ended = await s.t.server.identity.sessions.end(brunos.id, IT);
    expect(ended.endedAt).not.toBeNull();
    const state = await s.workstation.waitFor('signed_out');
    expect(state).toMatchObject({ screen: 'signed_out', problem: { code: 'session_ended' } });
    expect((await s.t.server.identity.sessions.list()).map((session) => session.id)).not.toContain(brunos.id);
    const audit = await s.t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'details_json'])
      .where('event', '=', 'session.ended')
      .execute();
    expect(audit).toEqual([{ event: 'session.ended', actor: IT.name, details_json: expect.stringContaining(`"sessionId":${brunos.id}`) }]);
    // Ending it again, or a session that never was: refused, nothing more audited.
    await expect(s.t.server.identity.sessions.end(brunos.id, IT)).rejects.toMatchObject({ code: 'session_already_ended' });
    await expect(s.t.server.identity.sessions.end(999_999, IT)).rejects.toMatchObject({ code: 'session_not_found' });
    expect(await s.t.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'session.ended').execute()).toHaveLength(1);
  });
});
