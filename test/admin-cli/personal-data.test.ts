/**
 * `personal-data export <contact>` as an admin runs it beside the server, for a data-subject
 * request: the contact named by id or by WhatsApp number, everything asked of them and why and
 * their consent answers as one JSON document, audited as the CLI's act; an unknown contact or a
 * contact that is no id or number is one coded line that changes nothing.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonalDataExport } from '../../common/api/personal-data.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { expectOneLineFailure, runAdmin } from './admin-cli-process.js';

let t: TestServer;
let contactId: number;
let agentId: number;

beforeAll(async () => {
  t = await startTestServer({ statusDelaysMs: {} });
  const device = await approvedDevice(t, 'personal-data-cli-desk');
  const agent = await enrolledAgent(t, device, 'carla', 'agent');
  agentId = agent.agentId;
  const { conversationId } = await customerWrites(t, customer(t, 1), 'Buongiorno, vorrei la fattura del mio ultimo ordine');
  const sent = await device.call(
    'POST',
    '/v1/messages',
    {
      idempotencyKey: crypto.randomUUID(),
      conversationId,
      kind: 'text',
      text: 'Mi può indicare il suo codice fiscale?',
      personalDataPurpose: { purpose: 'billing' },
    },
    agent.session.accessToken,
  );
  expect(sent.status).toBe(201);
  contactId = (await t.server.database.db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirstOrThrow())
    .contact_id;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const audits = async () => t.server.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

describe('personal-data export', () => {
  it('prints the contact, what was asked of them and why, as JSON, by id and by WhatsApp number, audited as the CLI’s act', async () => {
    for (const contact of [String(contactId), customer(t, 1).waId, `+${customer(t, 1).waId}`]) {
      const before = (await audits()).length;
      const run = await runAdmin(t.dataDir, ['personal-data', 'export', contact]);
      expect(run, run.stderr).toMatchObject({ code: 0 });
      const exported = PersonalDataExport.parse(JSON.parse(run.stdout));
      expect(exported.contact).toMatchObject({ id: contactId, waId: customer(t, 1).waId });
      expect(exported.requests).toEqual([
        expect.objectContaining({ kinds: ['tax_number'], purpose: 'billing', language: 'it', requestedBy: { agentId, name: 'Carla' } }),
      ]);
      expect(exported.consents).toEqual([]);
      const rows = await audits();
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({ event: 'personal_data.exported', actor: expect.stringMatching(/^cli:/) });
      expect(JSON.parse(rows.at(-1)?.details_json ?? '{}')).toEqual({ contactId });
    }
  });

  it('refuses a contact it does not know, and one that is no id or number, in one line that changes nothing', async () => {
    const before = (await audits()).length;
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['personal-data', 'export', '99999']))).toMatch(/^error \[contact_not_found\]/);
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['personal-data', 'export', 'mario.rossi']))).toMatch(/^error \[invalid_argument\]: <contact>/);
    expect(await audits()).toHaveLength(before);
  });
});
