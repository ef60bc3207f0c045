/**
 * `routing …` as an admin runs it beside the server: rules added (by keyword, language, number,
 * ad), listed in order, updated, moved and removed, each audited as the CLI's act and applied by
 * the running server to the next new conversation; each bad input one coded line that changes
 * nothing (a keyword with a * inside, two conditions at once, an unknown team, language or rule).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutingRuleList, RoutingRuleView } from '../../common/api/routing.js';
import { TeamView } from '../../common/api/teams.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin } from './admin-cli-process.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(async () => {
  await t.close();
});

const rulesList = async () => RoutingRuleList.parse(await adminJson(t.dataDir, ['routing', 'list'])).rules;
const storedRules = () => t.server.database.db.selectFrom('routing_rules').selectAll().orderBy('id').execute();

describe('routing', () => {
  let vendite: TeamView;
  let keyword: RoutingRuleView;

  it('adds rules in order, lists them in words, and the running server routes the next new conversation by them', async () => {
    expect((await runAdmin(t.dataDir, ['routing', 'list'])).stdout).toMatch(/^No routing rules: each new conversation goes to its number’s team/);
    vendite = TeamView.parse(await adminJson(t.dataDir, ['teams', 'create', 'Vendite']));
    await adminJson(t.dataDir, ['teams', 'create', 'Italiano']);
    keyword = RoutingRuleView.parse(await adminJson(t.dataDir, ['routing', 'add', '--keywords', 'preventiv*, offerta', '--team', 'vendite']));
    expect(keyword).toMatchObject({ position: 1, enabled: true, condition: { kind: 'keyword', keywords: ['preventiv*', 'offerta'] }, teamName: 'Vendite' });
    const language = await runAdmin(t.dataDir, ['routing', 'add', '--languages', 'it', '--team', 'Italiano', '--position', '1']);
    expect(language, language.stderr).toMatchObject({ code: 0 });
    expect(language.stdout).toMatch(/^Added rule #\d+ at position 1: first message in it → Italiano \(#\d+\)\./);
    const ad = await runAdmin(t.dataDir, ['routing', 'add', '--referral', '--source-id', 'ADID', '--team', String(vendite.id), '--disabled']);
    expect(ad.stdout).toMatch(/at position 3 \(disabled\): came from an ad with ad id ADID → Vendite/);
    const second = t.sandbox.businesses[1]?.phoneNumberId ?? '';
    expect((await runAdmin(t.dataDir, ['routing', 'add', '--number', second, '--team', 'Vendite'])).code).toBe(0);

    const text = await runAdmin(t.dataDir, ['routing', 'list']);
    expect(text.stdout).toMatch(/^Routing rules \(4 rules, tried in order; the first that matches wins/);
    expect(text.stdout).toContain('first message has "preventiv*" or "offerta"');
    expect((await rulesList()).map((rule) => [rule.position, rule.condition.kind])).toEqual([
      [1, 'language'],
      [2, 'keyword'],
      [3, 'referral'],
      [4, 'number'],
    ]);

    // Italian, with a keyword: the language rule comes first.
    const written = await customerWrites(t, customer(t, 0), 'Buongiorno, vorrei un preventivo per il mio negozio');
    const team = async (id: number) =>
      (await t.server.database.db.selectFrom('conversations').select('team_id').where('id', '=', id).executeTakeFirstOrThrow()).team_id;
    const italiano = (await rulesList())[0]?.teamId;
    expect(await team(written.conversationId)).toBe(italiano);

    // Moved after the keyword rule, the keyword wins.
    const moved = RoutingRuleList.parse(await adminJson(t.dataDir, ['routing', 'move', String(keyword.id), '1']));
    expect(moved.rules.map((rule) => rule.condition.kind)).toEqual(['keyword', 'language', 'referral', 'number']);
    const next = await customerWrites(t, customer(t, 1), 'Buongiorno, vorrei un preventivo per il mio negozio');
    expect(await team(next.conversationId)).toBe(vendite.id);
  }, 240_000);

  it('updates a rule’s condition, team and switch, and removes one; all audited as the CLI’s acts', async () => {
    const updated = RoutingRuleView.parse(
      await adminJson(t.dataDir, ['routing', 'update', String(keyword.id), '--keywords', 'fattura', '--team', 'Italiano', '--disable']),
    );
    expect(updated).toMatchObject({ id: keyword.id, position: 1, enabled: false, condition: { keywords: ['fattura'] }, teamName: 'Italiano' });
    const removed = await runAdmin(t.dataDir, ['routing', 'remove', String(keyword.id)]);
    expect(removed.stdout).toBe(`Removed routing rule #${keyword.id}; the rules after it moved up.\n`);
    expect((await rulesList()).map((rule) => rule.position)).toEqual([1, 2, 3]);
    const audit = await t.server.database.db.selectFrom('audit_log').select(['event', 'actor']).where('event', 'like', 'routing.%').orderBy('id').execute();
    expect(audit.map((row) => row.event)).toEqual([
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_created',
      'routing.rule_moved',
      'routing.rule_updated',
      'routing.rule_removed',
    ]);
    expect(audit.every((row) => row.actor.startsWith('cli:'))).toBe(true);
  }, 240_000);

  it('refuses bad input with one coded line, changing nothing', async () => {
    const before = await storedRules();
    const cases: Array<[string[], RegExp]> = [
      [
        ['routing', 'add', '--keywords', 'rim*borso', '--team', 'Vendite'],
        /^error \[invalid_argument\]: --keywords: the keyword "rim\*borso" has a \* that is not at its end/,
      ],
      [['routing', 'add', '--keywords', ' , ', '--team', 'Vendite'], /^error \[invalid_argument\]: --keywords: give at least one keyword/],
      [['routing', 'add', '--languages', 'it,xx', '--team', 'Vendite'], /^error \[invalid_argument\]: --languages: a language is a two-letter code among: /],
      [
        ['routing', 'add', '--keywords', 'ciao', '--languages', 'it', '--team', 'Vendite'],
        /^error \[invalid_argument\]: --keywords and --languages: a rule has one condition/,
      ],
      [['routing', 'add', '--team', 'Vendite'], /^error \[invalid_argument\]: name the condition/],
      [['routing', 'add', '--keywords', 'ciao', '--team', 'Nessuno'], /^error \[team_not_found\]: There is no team with the id or name "Nessuno"/],
      [['routing', 'add', '--number', '999999999999', '--team', 'Vendite'], /^error \[number_unknown\]: There is no configured number 999999999999/],
      [['routing', 'move', '99999', '1'], /^error \[routing_rule_not_found\]: There is no routing rule 99999/],
      [['routing', 'move', 'first', '1'], /^error \[invalid_argument\]: <rule>: give the rule’s id/],
      [['routing', 'update', String(keyword.id + 1)], /^error \[invalid_argument\]: give what changes/],
    ];
    for (const [args, expected] of cases) expect(expectOneLineFailure(await runAdmin(t.dataDir, args))).toMatch(expected);
    expect(await storedRules()).toEqual(before);
  }, 240_000);
});
