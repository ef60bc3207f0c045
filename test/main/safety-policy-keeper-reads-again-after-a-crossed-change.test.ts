/**
 * A change announced while the workstation's read of the safety policy was under way used to be
 * lost: the announcement joined the read already on its way, whose answer held the older version,
 * and nothing read again, so the workstation kept the old policy until the next reconnect. Now
 * the keeper reads once more when its answer is older than the newest version announced.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import type { SafetyPolicyView } from '../../common/safety/safety-policy.js';
import { SafetyPolicyKeeper } from '../../main/core/safety-policy-keeper.js';

const view = (version: number): SafetyPolicyView => ({ version, policy: DEFAULT_SAFETY_POLICY });

describe('the safety policy keeper', () => {
  it('reads again when a newer version was announced while a read was under way', async () => {
    // The server's answers, in the order its reads are served: the first was read before the change.
    const answers = [view(1), view(2)];
    let release: () => void = () => undefined;
    const firstServed = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const told: number[] = [];
    const keeper = new SafetyPolicyKeeper({
      fetch: async () => {
        const answer = answers[reads] ?? view(2);
        reads += 1;
        if (reads === 1) await firstServed;
        return answer;
      },
      changed: (changed) => told.push(changed.version),
      failed: (error) => {
        throw error;
      },
    });
    const first = keeper.refresh();
    keeper.heard(2);
    release();
    expect((await first).version).toBe(2);
    expect(reads).toBe(2);
    expect(keeper.held?.version).toBe(2);
    expect(told).toEqual([1, 2]);
  });

  it('does not read again for a version it holds', async () => {
    let reads = 0;
    const keeper = new SafetyPolicyKeeper({
      fetch: () => {
        reads += 1;
        return Promise.resolve(view(3));
      },
      changed: () => undefined,
      failed: (error) => {
        throw error;
      },
    });
    await keeper.refresh();
    keeper.heard(3);
    keeper.heard(2);
    expect(reads).toBe(1);
  });
});
