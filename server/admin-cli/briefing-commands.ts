/**
 * `briefing …`: the security briefing (common/briefing/briefing.ts): show the version in force,
 * publish a new one from a JSON file (`briefing publish rules.json`: `{ "rules": [...] }`, or what
 * `briefing show --json` printed, edited: its `version` is the one the new version is made from,
 * and a version published meanwhile refuses it with `briefing_changed`), and list who has
 * acknowledged which version. Every agent acknowledges a new version before their inbox opens
 * again; their workstation finds it at its next inbox call, which the server refuses until then.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { BriefingRules } from '../../common/briefing/briefing.js';
import { describeZodError } from '../api/register-api.js';
import type { AdminRunner } from './admin-command.js';
import { ArgumentError, argumentsOf, noArguments } from './arguments.js';
import { formatBriefing, formatBriefingAcknowledgements } from './briefing-format.js';
import type { Command } from 'commander';

/** The file: the rules, and optionally the rest of what `briefing show --json` prints. */
const BriefingFile = z
  .object({
    version: z.number().int().min(1).optional(),
    rules: BriefingRules,
    publishedAt: z.number().int().nullable().optional(),
    publishedBy: z.string().nullable().optional(),
  })
  .strict();

const parseFile = argumentsOf(z.object({ file: z.string().min(1, 'name the JSON file of the rules') }), 'file');

function readBriefingFile(file: string): z.infer<typeof BriefingFile> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ArgumentError(`<file>: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): nothing was published`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArgumentError(`<file>: ${file} is not JSON: nothing was published`);
  }
  const checked = BriefingFile.safeParse(json);
  if (!checked.success) throw new ArgumentError(`${describeZodError('<file>', checked.error)}: nothing was published`);
  return checked.data;
}

export function registerBriefingCommands(program: Command, run: AdminRunner): void {
  const briefing = program.command('briefing').description('the security briefing every agent acknowledges before their inbox opens');

  run
    .command(briefing, 'show', 'the briefing in force: its version, who published it, and its rules in English and Italian')
    .action(run.action({ parse: noArguments, perform: (context) => context.briefings.current(), render: formatBriefing('Security briefing') }));

  run
    .command(briefing, 'publish', 'publish a new version from a JSON file of its rules (the output of briefing show --json, edited, will do)')
    .argument('<file>', 'the JSON file: { "rules": [{ "id", "title": { "en", "it" }, "text": { "en", "it" } }, ...] }')
    .action(
      run.action({
        parse: (values, options) => readBriefingFile(parseFile(values, options).file),
        perform: async (context, input) => {
          const fromVersion = input.version ?? (await context.briefings.current()).version;
          return context.briefings.publish({ fromVersion, rules: input.rules }, context.actor);
        },
        render: formatBriefing('Published the security briefing'),
      }),
    );

  run
    .command(briefing, 'acks', 'each agent who answers customers, the last version they acknowledged, when, and whether it holds now')
    .action(run.action({ parse: noArguments, perform: (context) => context.briefings.acknowledgements(), render: formatBriefingAcknowledgements }));
}
