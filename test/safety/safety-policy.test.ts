/**
 * The safety policy's document (common/safety/safety-policy.ts): a change is checked strictly
 * (coded errors, host lists as hosts), a stored one is read leniently (a section it cannot read
 * is that section's defaults, a host list entry no longer a host is dropped, each named), and a
 * change names the sections that differ.
 */
import { describe, expect, it } from 'vitest';
import { changedSections, checkedSafetyPolicy, DEFAULT_SAFETY_POLICY, readStoredSafetyPolicy, SafetyPolicy } from '../../common/safety/safety-policy.js';

describe('the safety policy document', () => {
  it('has defaults that pass its own strict schema, each rule at its safest', () => {
    expect(SafetyPolicy.parse(DEFAULT_SAFETY_POLICY)).toEqual(DEFAULT_SAFETY_POLICY);
    expect(DEFAULT_SAFETY_POLICY.attachments.allowUninspectableArchivesWhenClean).toBe(false);
    expect(DEFAULT_SAFETY_POLICY.attachments.refuseFilesWithoutCleanScan).toBe(true);
    expect(DEFAULT_SAFETY_POLICY.cards.refuseOutbound).toBe(true);
    expect(DEFAULT_SAFETY_POLICY.codes.holdOutboundCodes).toBe(true);
    expect(DEFAULT_SAFETY_POLICY.personalData.requirePurpose).toBe(true);
    expect(DEFAULT_SAFETY_POLICY.maskedNumbers).toEqual({ maskForAgents: true, supervisorsSeeNumbers: false });
    expect(DEFAULT_SAFETY_POLICY.briefing.renewAfterDays).toBe(365);
  });

  it('checks a change strictly: unknown fields, bad values and bad hosts are coded errors', () => {
    expect(() => checkedSafetyPolicy({ ...DEFAULT_SAFETY_POLICY, extra: {} })).toThrow(expect.objectContaining({ code: 'safety_policy_invalid' }));
    expect(() => checkedSafetyPolicy({ ...DEFAULT_SAFETY_POLICY, briefing: { renewAfterDays: 0 } })).toThrow(
      expect.objectContaining({ code: 'safety_policy_invalid', message: expect.stringContaining('briefing.renewAfterDays') }),
    );
    expect(() => checkedSafetyPolicy({ ...DEFAULT_SAFETY_POLICY, personalData: { requirePurpose: true, privacyNoticeUrl: 'http://privacy.example' } })).toThrow(
      expect.objectContaining({ code: 'safety_policy_invalid' }),
    );
    expect(() => checkedSafetyPolicy({ ...DEFAULT_SAFETY_POLICY, links: { ...DEFAULT_SAFETY_POLICY.links, allowedOutboundHosts: ['github.io'] } })).toThrow(
      expect.objectContaining({ code: 'host_list_invalid', details: { entry: 'github.io' } }),
    );
    const checked = checkedSafetyPolicy({
      ...DEFAULT_SAFETY_POLICY,
      links: { ...DEFAULT_SAFETY_POLICY.links, blockedHosts: ['A.Example', 'a.example.', '*.a.example'] },
    });
    expect(checked.links.blockedHosts).toEqual(['a.example']);
  });

  it('reads a stored policy leniently: a bad or missing section at its defaults, unknown ones ignored, bad hosts dropped, each named', () => {
    const read = readStoredSafetyPolicy({
      ...DEFAULT_SAFETY_POLICY,
      cards: { refuseOutbound: 'sometimes' },
      links: { ...DEFAULT_SAFETY_POLICY.links, blockedHosts: ['evil.example', 'com'], outboundAllowListOnly: true },
      briefing: undefined,
      payments: { provider: 'stripe' },
    });
    expect(read.policy).toEqual({
      ...DEFAULT_SAFETY_POLICY,
      links: { ...DEFAULT_SAFETY_POLICY.links, blockedHosts: ['evil.example'], outboundAllowListOnly: true },
    });
    expect(read.problems).toEqual([
      'payments: not a section, ignored',
      'links.blockedHosts: dropped an entry that is not a host',
      'cards: not valid (refuseOutbound), at its defaults',
      'briefing: missing, at its defaults',
    ]);
    // Not even an object: every section at its defaults.
    expect(readStoredSafetyPolicy('[]')).toEqual({
      policy: DEFAULT_SAFETY_POLICY,
      problems: ['the stored policy is not an object: every section at its defaults'],
    });
    expect(readStoredSafetyPolicy(DEFAULT_SAFETY_POLICY)).toEqual({ policy: DEFAULT_SAFETY_POLICY, problems: [] });
  });

  it('names the sections a change touches', () => {
    const after = { ...DEFAULT_SAFETY_POLICY, cards: { refuseOutbound: false }, briefing: { renewAfterDays: 180 } };
    expect(changedSections(DEFAULT_SAFETY_POLICY, after)).toEqual(['cards', 'briefing']);
    expect(changedSections(after, after)).toEqual([]);
  });
});
