/**
 * `safety …`: the safety policy (common/safety/safety-policy.ts): show it, or set one setting
 * (`safety set links.blockedHosts evil.example,phish.example`). A set is made from the version
 * read (or the one `--version` names): a change someone made meanwhile refuses it
 * (`safety_policy_changed`), a bad value or host refuses it with its code, and nothing changes.
 * The running server tells every workstation within a poll.
 */
import { z } from 'zod';
import type { SafetyPolicy, SafetyPolicySection } from '../../common/safety/safety-policy.js';
import { DEFAULT_SAFETY_POLICY, SAFETY_POLICY_SECTIONS } from '../../common/safety/safety-policy.js';
import type { AdminRunner } from './admin-command.js';
import { ArgumentError, argumentsOf, noArguments, typedNumber } from './arguments.js';
import { formatSafetyPolicy } from './safety-format.js';
import type { Command } from 'commander';

const SETTINGS = SAFETY_POLICY_SECTIONS.flatMap((section) => Object.keys(DEFAULT_SAFETY_POLICY[section]).map((field) => `${section}.${field}`));

const parseSet = argumentsOf(
  z.object({
    setting: z.enum(SETTINGS as [string, ...string[]], { error: `a setting is one of: ${SETTINGS.join(', ')}` }),
    value: z.string(),
    version: typedNumber(z.coerce.number().int().min(0), 'the version is a whole number (see safety show)').optional(),
  }),
  'setting',
  'value',
);

/** The value typed, read as the setting's kind is: on/off, a whole number, a comma-separated list, `none` for no address. */
function typedValue(setting: string, text: string): unknown {
  const [section, field] = setting.split('.') as [SafetyPolicySection, string];
  const example: unknown = (DEFAULT_SAFETY_POLICY[section] as Record<string, unknown>)[field];
  const trimmed = text.trim();
  if (typeof example === 'boolean') {
    if (/^(true|on|yes)$/i.test(trimmed)) return true;
    if (/^(false|off|no)$/i.test(trimmed)) return false;
    throw new ArgumentError(`<value>: ${setting} is on or off (true/false)`);
  }
  if (typeof example === 'number') {
    if (!/^\d{1,9}$/.test(trimmed)) throw new ArgumentError(`<value>: ${setting} is a whole number`);
    return Number(trimmed);
  }
  if (Array.isArray(example))
    return trimmed
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (example === null || field === 'privacyNoticeUrl') return /^(none|-)?$/i.test(trimmed) ? null : trimmed;
  return trimmed;
}

function withSetting(policy: SafetyPolicy, setting: string, value: unknown): SafetyPolicy {
  const [section, field] = setting.split('.') as [SafetyPolicySection, string];
  return { ...policy, [section]: { ...policy[section], [field]: value } };
}

export function registerSafetyCommands(program: Command, run: AdminRunner): void {
  const safety = program
    .command('safety')
    .description('the safety policy: attachments, links, codes, card numbers, personal data, groups, masked numbers, the briefing');

  run
    .command(safety, 'show', 'every setting of the safety policy, its version and who changed it last')
    .action(run.action({ parse: noArguments, perform: (context) => context.safety.current(), render: formatSafetyPolicy('Safety policy') }));

  run
    .command(safety, 'set', 'change one setting (lists comma-separated, an empty one as ""; on/off; none for no address)')
    .argument('<setting>', `one of: ${SETTINGS.join(', ')}`)
    .argument('<value>', 'the new value')
    .option('--version <n>', 'refuse the change unless the policy is still at this version (see safety show)')
    .action(
      run.action({
        parse: (values, options) => {
          const input = parseSet(values, options);
          return { ...input, typed: typedValue(input.setting, input.value) };
        },
        perform: async (context, input) => {
          const current = await context.safety.current();
          const version = input.version ?? current.version;
          return context.safety.change({ version, policy: withSetting(current.policy, input.setting, input.typed) }, context.actor);
        },
        render: formatSafetyPolicy('Changed the safety policy'),
      }),
    );
}
