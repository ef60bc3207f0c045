/**
 * The security briefing on the workstation (a real client core over a listening server): an agent
 * in their inbox sees the briefing screen at once when an admin publishes a new version; an
 * acknowledgement that leaves a rule out is refused across the IPC boundary and the briefing
 * stays; they may sign out from it, and at their next sign-in the briefing comes before the inbox
 * again, which opens once every rule is acknowledged, its event stream online.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentBriefingView, BriefingRule } from '../../common/briefing/briefing.js';
import { BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import type { AppState } from '../../common/ipc/app-state.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { CORE_AGENT_PASSWORD, pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const RULES: BriefingRule[] = BUILT_IN_BRIEFING.slice(0, 2);

describe('the briefing screen on the workstation', () => {
  it('comes over the inbox for a new version, refuses a partial acknowledgement, lets the agent sign out, and comes first at the next sign-in', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const marco = await startCoreBehindProxy(t, cleanups);
    const { recoveryCodes } = await pairAndEnroll(t, marco.call, marco.waitFor, 'marco', 'agent');
    await marco.waitFor('inbox');
    await marco.untilConnection(true);

    await t.server.briefings.publish({ fromVersion: 1, rules: RULES }, IT);
    const shown = (await marco.waitFor('briefing')) as Extract<AppState, { screen: 'briefing' }>;
    expect(shown.briefing).toMatchObject({ required: true, acknowledgedVersion: 1, briefing: { version: 2, rules: RULES } });
    expect(await marco.call<AgentBriefingView>('getBriefing')).toMatchObject({ required: true });

    const partial = await dispatchIpc(marco.core, 'acknowledgeBriefing', { version: 2, ruleIds: [RULES[0]?.id] });
    expect(partial).toMatchObject({ ok: false, code: 'briefing_rules_missing' });
    expect(marco.core.state.screen).toBe('briefing');
    // Only the inbox's own calls are refused meanwhile.
    expect(await dispatchIpc(marco.core, 'listConversations', { filter: 'mine' })).toMatchObject({ ok: false, code: 'not_allowed_now' });

    await marco.call('logout');
    await marco.waitFor('signed_out');
    await marco.call('login', { username: 'marco', password: CORE_AGENT_PASSWORD, secondFactor: { kind: 'recovery', code: recoveryCodes[0] } });
    await marco.waitFor('briefing');
    await marco.call('acknowledgeBriefing', { version: 2, ruleIds: RULES.map((rule) => rule.id) });
    await marco.waitFor('inbox');
    await marco.untilConnection(true);
    expect(await t.server.database.db.selectFrom('briefing_acknowledgements').select('rule_id').where('version', '=', 2).execute()).toHaveLength(2);
  });
});
