/**
 * The workstation holds the safety policy the server enforces: read at sign-in, read again when
 * the feed says its version moved (told to the renderer as a `safetyPolicy` event), and read
 * again on reconnecting after a change made while it was offline. The admin calls refuse an
 * agent who is not an admin. A real client core over a listening TLS server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SafetyPolicyView } from '../../common/safety/safety-policy.js';
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the safety policy on the workstation', () => {
  it('is read at sign-in, again when the server says it changed, and again after a change made while offline', async () => {
    const t = await startTestServer({ tls: true, eventFeed: { pollMs: 50 }, safetyDefaults: true });
    cleanups.push(() => t.close());
    const desk = await startCoreBehindProxy(t, cleanups);
    const told: SafetyPolicyView[] = [];
    desk.core.onEvent((event, payload) => {
      if (event === 'safetyPolicy') told.push(payload as SafetyPolicyView);
    });
    await pairAndEnroll(t, desk.call, desk.waitFor, 'bruno', 'agent');
    await desk.untilFirstLoad();
    expect(await desk.call<SafetyPolicyView>('getSafetyPolicy')).toEqual({ version: 0, policy: DEFAULT_SAFETY_POLICY });
    expect(told.map((view) => view.version)).toEqual([0]);

    const policies = t.server.safety.policies;
    const blocking = { ...DEFAULT_SAFETY_POLICY, links: { ...DEFAULT_SAFETY_POLICY.links, blockedHosts: ['evil.example'] } };
    await policies.change({ version: 0, policy: blocking }, IT);
    await eventually(() => Promise.resolve(told.find((view) => view.version === 1)), 10_000, 'the renderer told of version 1');
    expect(await desk.call<SafetyPolicyView>('getSafetyPolicy')).toEqual({ version: 1, policy: blocking });

    // Changed while the workstation could not hear of it: found on reconnecting.
    const masked = { ...blocking, maskedNumbers: { maskForAgents: true, supervisorsSeeNumbers: true } };
    await desk.whileOffline(() => policies.change({ version: 1, policy: masked }, IT));
    await eventually(() => Promise.resolve(told.find((view) => view.version === 2)), 10_000, 'the renderer told of version 2');
    expect(await desk.call<SafetyPolicyView>('getSafetyPolicy')).toEqual({ version: 2, policy: masked });
    expect(told.map((view) => view.version)).toEqual([0, 1, 2]);

    // The admin's calls are not an agent's.
    await expect(desk.call('adminGetSafetyPolicy')).rejects.toThrow(/forbidden_role/);
    await expect(desk.call('adminSetSafetyPolicy', { version: 2, policy: DEFAULT_SAFETY_POLICY })).rejects.toThrow(/forbidden_role/);
    expect((await policies.current()).version).toBe(2);
  }, 60_000);
});
