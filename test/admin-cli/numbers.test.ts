/**
 * `numbers …` as an admin runs it beside the server: a number added with its token piped on
 * stdin is served by the running server within its refresh; a token is never an argument, never
 * printed and never stored in the clear; rotate-token brings a refused number back; remove never
 * leaves conversations without a number; every change is in the audit chain.
 */
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusinessNumberList } from '../../common/api/business-numbers.js';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { eventually, messageByWamid } from '../helpers/store-queries.js';
import { storeContents } from '../helpers/store-contents.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin, runAdminOnTerminalAnswering } from './admin-cli-process.js';

const NEW_NUMBER: SandboxBusiness = { wabaId: '200000000000042', phoneNumberId: '100000000000042', displayPhoneNumber: '15550004242' };
const NEW_TOKEN = `EAAG${crypto.randomBytes(30).toString('base64url')}`;

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.close();
});

async function numbersList(): Promise<BusinessNumberList> {
  return BusinessNumberList.parse(await adminJson(t.dataDir, ['numbers', 'list']));
}

async function auditEvents(): Promise<Array<{ event: string; details: Record<string, unknown> }>> {
  const rows = await t.server.database.db.selectFrom('audit_log').select(['event', 'details_json']).orderBy('id').execute();
  return rows
    .filter((row) => row.event.startsWith('number.'))
    .map((row) => ({ event: row.event, details: JSON.parse(row.details_json) as Record<string, unknown> }));
}

describe('numbers add', () => {
  it('serves a number added with its token on stdin, seals the token, and never prints it', async () => {
    const before = inboundMessageWebhook(NEW_NUMBER, customer(t), { type: 'text', text: { body: 'Before it was added' } });
    expect((await t.postWebhook(before.body)).status).toBe(200);
    expect(await messageByWamid(t.server.database.db, before.wamid)).toBeUndefined();

    const added = await runAdmin(
      t.dataDir,
      ['numbers', 'add', NEW_NUMBER.phoneNumberId, '--waba', NEW_NUMBER.wabaId, '--name', 'Sales Italy'],
      `${NEW_TOKEN}\n`,
    );
    expect(added, added.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Added number 100000000000042 \("Sales Italy", WABA 200000000000042\)\./);

    const list = await numbersList();
    expect(list.numbers.find((n) => n.phoneNumberId === NEW_NUMBER.phoneNumberId)).toMatchObject({
      displayName: 'Sales Italy',
      wabaId: NEW_NUMBER.wabaId,
      hasToken: true,
      ownAppSecret: false,
      fromEnvironment: false,
      health: 'ok',
      conversations: 0,
    });
    expect(list.unknown).toEqual([expect.objectContaining({ phoneNumberId: NEW_NUMBER.phoneNumberId, reason: 'not_configured', webhooks: 1 })]);

    // The running server reads the table again and applies the number's webhooks.
    const after = inboundMessageWebhook(NEW_NUMBER, customer(t), { type: 'text', text: { body: 'After it was added' } });
    await eventually(
      async () => {
        expect((await t.postWebhook(after.body)).status).toBe(200);
        return messageByWamid(t.server.database.db, after.wamid);
      },
      10_000,
      'the added number is served',
    );

    for (const run of [added, await runAdmin(t.dataDir, ['numbers', 'list']), await runAdmin(t.dataDir, ['audit', 'list', '--json'])]) {
      expect(run.stdout + run.stderr).not.toContain(NEW_TOKEN);
    }
    expect((await storeContents(t)).includes(Buffer.from(NEW_TOKEN))).toBe(false);
    expect(await auditEvents()).toEqual([
      {
        event: 'number.added',
        details: { phoneNumberId: NEW_NUMBER.phoneNumberId, wabaId: NEW_NUMBER.wabaId, displayName: 'Sales Italy', ownAppSecret: false },
      },
    ]);
  });

  it('says in its help that the token comes from stdin, and has no option to pass it', async () => {
    const help = await runAdmin(t.dataDir, ['numbers', 'add', '--help']);
    expect(help.stdout).toMatch(/read from stdin/);
    expect(help.stdout).toMatch(/`ps`/);
    const asArgument = await runAdmin(t.dataDir, [
      'numbers',
      'add',
      NEW_NUMBER.phoneNumberId,
      '--waba',
      NEW_NUMBER.wabaId,
      '--name',
      'X',
      '--token',
      NEW_TOKEN,
    ]);
    expect(asArgument.code).not.toBe(0);
    expect(asArgument.stderr).toMatch(/unknown option '--token'/);
  });

  it.each([
    [
      'letters for a phone number ID',
      ['numbers', 'add', 'sales', '--waba', '200000000000042', '--name', 'Sales'],
      `${NEW_TOKEN}\n`,
      /^error \[invalid_argument\]: <phoneNumberId>: must be a phone number ID/,
    ],
    [
      'an empty name',
      ['numbers', 'add', '100000000000042', '--waba', '200000000000042', '--name', '  '],
      `${NEW_TOKEN}\n`,
      /^error \[invalid_argument\]: --name: must not be empty/,
    ],
    [
      'no token on stdin',
      ['numbers', 'add', '100000000000042', '--waba', '200000000000042', '--name', 'Sales'],
      '',
      /^error \[invalid_argument\]: access token: none was given/,
    ],
    [
      'a token with spaces',
      ['numbers', 'add', '100000000000042', '--waba', '200000000000042', '--name', 'Sales'],
      'pasted wrongly zebra42 here\n',
      /^error \[invalid_argument\]: access token: must be one line/,
    ],
    [
      'an app secret that is not one',
      ['numbers', 'add', '100000000000042', '--waba', '200000000000042', '--name', 'Sales', '--own-app-secret'],
      `${NEW_TOKEN}\nnot-a-secret!\n`,
      /^error \[invalid_argument\]: app secret: must be an app secret/,
    ],
    [
      'a number already served',
      ['numbers', 'add', '100000000000001', '--waba', '200000000000001', '--name', 'Again'],
      `${NEW_TOKEN}\n`,
      /^error \[number_exists\]: /,
    ],
  ])('refuses %s with one line, and changes nothing', async (_name, args, input, message) => {
    const before = await numbersList();
    const refused = await runAdmin(t.dataDir, args, input);
    const line = expectOneLineFailure(refused);
    expect(line).toMatch(message);
    expect(line).not.toContain('zebra42');
    expect(await numbersList()).toEqual(before);
    expect(await auditEvents()).toEqual([]);
  });
});

describe('numbers rotate-token', () => {
  it('brings back a number whose token Meta refused, while the other number kept sending', async () => {
    const second = t.sandbox.businesses[1];
    const { conversationId } = await customerWrites(t, customer(t), 'Hello', second);
    t.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
    await t.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId, text: 'Refused' });
    await t.server.dispatcher.settled();
    expect((await numbersList()).numbers.find((n) => n.phoneNumberId === second?.phoneNumberId)?.health).toBe('needs_reauthorization');

    // Meta's side: the re-authorised token is the one the stand-in knows for that number.
    const token = t.sandbox.numbers[1]?.accessToken ?? '';
    const rotated = await runAdmin(t.dataDir, ['numbers', 'rotate-token', second?.phoneNumberId ?? ''], `${token}\n`);
    expect(rotated, rotated.stderr).toMatchObject({ code: 0 });
    expect(rotated.stdout).not.toContain(token);
    await eventually(
      () => Promise.resolve(t.server.numbers.line(second?.phoneNumberId ?? '')?.health.state === 'ok' ? true : undefined),
      10_000,
      'the server sees the new token',
    );
    const sent = await t.server.sendService.send({ kind: 'text', idempotencyKey: crypto.randomUUID(), conversationId, text: 'Back' });
    await t.server.dispatcher.settled();
    expect((await t.server.database.db.selectFrom('messages').select('status').where('id', '=', sent.messageId).executeTakeFirstOrThrow()).status).toBe(
      'accepted',
    );
    expect((await auditEvents()).map((e) => e.event)).toEqual(['number.token_rotated']);
  });

  it('asks for the token on a terminal without echoing it', async () => {
    const second = t.sandbox.businesses[1]?.phoneNumberId ?? '';
    const token = t.sandbox.numbers[1]?.accessToken ?? '';
    const typed = await runAdminOnTerminalAnswering(t.dataDir, ['numbers', 'rotate-token', second], '(not shown): ', `${token}\r`);
    expect(typed, typed.stdout).toMatchObject({ code: 0 });
    expect(typed.stdout).toMatch(/New access token \(not shown\): /);
    expect(typed.stdout).toMatch(/Replaced the access token of 100000000000002/);
    expect(typed.stdout).not.toContain(token);
  });

  it('refuses a number that is not configured', async () => {
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['numbers', 'rotate-token', '100000000000999'], `${NEW_TOKEN}\n`))).toMatch(
      /^error \[number_unknown\]: /,
    );
  });
});

describe('numbers remove', () => {
  it('refuses while conversations belong to the number, moves them when told, and refuses the settings’ own number', async () => {
    const [first, second] = t.sandbox.businesses;
    const { conversationId } = await customerWrites(t, customer(t, 1), 'Hello', second);

    const refused = expectOneLineFailure(await runAdmin(t.dataDir, ['numbers', 'remove', second?.phoneNumberId ?? '']));
    expect(refused).toMatch(/^error \[number_has_conversations\]: .*1 conversation\(s\).*--move-conversations-to/);
    expect(expectOneLineFailure(await runAdmin(t.dataDir, ['numbers', 'remove', first?.phoneNumberId ?? '']))).toMatch(/^error \[number_from_environment\]: /);

    const moved = await runAdmin(t.dataDir, ['numbers', 'remove', second?.phoneNumberId ?? '', '--move-conversations-to', first?.phoneNumberId ?? '']);
    expect(moved, moved.stderr).toMatchObject({ code: 0 });
    expect(moved.stdout).toMatch(/Its 1 conversation now belong to 100000000000001\./);
    const conversation = await t.server.database.db
      .selectFrom('conversations')
      .select('business_phone_number_id')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation.business_phone_number_id).toBe(first?.phoneNumberId);
    expect((await numbersList()).numbers.map((n) => n.phoneNumberId)).not.toContain(second?.phoneNumberId);
    expect(await auditEvents()).toEqual([
      { event: 'number.removed', details: { phoneNumberId: second?.phoneNumberId, movedConversations: 1, movedTo: first?.phoneNumberId } },
    ]);
  });
});
