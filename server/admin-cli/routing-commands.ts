/** `routing …`: the rules deciding which team a new conversation goes to: list, add, update, move, remove. */
import type { Command } from 'commander';
import { z } from 'zod';
import { PhoneNumberId } from '../../common/api/business-numbers.js';
import { RoutingCondition, RoutingLanguageCode } from '../../common/api/routing.js';
import type { RoutingRuleView, UpdateRoutingRuleRequest } from '../../common/api/routing.js';
import type { AdminRunner } from './admin-command.js';
import type { AdminContext } from './admin-context.js';
import { ArgumentError, argumentsOf, commaList, noArguments, typedNumber } from './arguments.js';
import { formatRule, formatRuleList, formatRuleRemoved } from './routing-format.js';
import { resolveTeam } from './teams-commands.js';

const RuleId = typedNumber(z.coerce.number().int().positive(), 'give the rule’s id (see routing list)');
const Position = typedNumber(z.coerce.number().int().positive('a position is 1 or more'), 'a position is a whole number, 1 first');
const TeamText = z.string().trim().min(1, 'give the team’s id or name (see teams list)');

/** The options that say a rule's condition; at most one kind of them. */
const ConditionOptions = {
  number: PhoneNumberId.optional(),
  keywords: commaList(z.array(z.string())).optional(),
  languages: commaList(z.array(RoutingLanguageCode)).optional(),
  referral: z.boolean().optional(),
  sourceId: z.string().optional(),
  sourceUrl: z.string().optional(),
  headline: z.string().optional(),
};
type ConditionInput = z.infer<z.ZodObject<typeof ConditionOptions>>;

/** The condition the options name, checked as the admin API checks it; undefined when none is named. */
function conditionFrom(input: ConditionInput): RoutingCondition | undefined {
  const ad = input.referral === true || input.sourceId !== undefined || input.sourceUrl !== undefined || input.headline !== undefined;
  const named = [
    input.number === undefined ? null : { option: '--number', condition: { kind: 'number', phoneNumberId: input.number } },
    input.keywords === undefined ? null : { option: '--keywords', condition: { kind: 'keyword', keywords: input.keywords } },
    input.languages === undefined ? null : { option: '--languages', condition: { kind: 'language', languages: input.languages } },
    ad
      ? {
          option: '--referral',
          condition: { kind: 'referral', sourceId: input.sourceId, sourceUrl: input.sourceUrl, headline: input.headline },
        }
      : null,
  ].filter((entry) => entry !== null);
  if (named.length > 1) throw new ArgumentError(`${named.map((entry) => entry.option).join(' and ')}: a rule has one condition; give one of them`);
  const only = named[0];
  if (only === undefined) return undefined;
  const parsed = RoutingCondition.safeParse(JSON.parse(JSON.stringify(only.condition)));
  if (!parsed.success) throw new ArgumentError(`${only.option}: ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data;
}

const parseAdd = argumentsOf(z.object({ team: TeamText, position: Position.optional(), disabled: z.boolean().optional(), ...ConditionOptions }));
const parseUpdate = argumentsOf(
  z.object({ rule: RuleId, team: TeamText.optional(), enable: z.boolean().optional(), disable: z.boolean().optional(), ...ConditionOptions }),
  'rule',
);
const parseMove = argumentsOf(z.object({ rule: RuleId, position: Position }), 'rule', 'position');
const parseRemove = argumentsOf(z.object({ rule: RuleId }), 'rule');

async function teamIdOf(context: AdminContext, text: string): Promise<number> {
  return (await resolveTeam(context, { text, id: /^\d{1,15}$/.test(text) ? Number(text) : null })).id;
}

function conditionOptions(command: Command): Command {
  return command
    .option('--number <phoneNumberId>', 'match conversations written to this business number')
    .option('--keywords <list>', 'match a first message with one of these words or phrases (comma-separated; a trailing * matches any ending)')
    .option('--languages <list>', 'match a first message in one of these languages (two-letter codes, comma-separated: it,en)')
    .option('--referral', 'match a customer who came from a click-to-WhatsApp ad (any, or narrowed by the options below)')
    .option('--source-id <id>', 'only the ad with this id')
    .option('--source-url <url>', 'only the ad or post with this link')
    .option('--headline <text>', 'only the ad with this headline');
}

export function registerRoutingCommands(program: Command, run: AdminRunner): void {
  const routing = program
    .command('routing')
    .description('routing rules: which team a new conversation goes to, by number, keyword, language or ad; tried in order, the first match wins');

  run
    .command(routing, 'list', 'the rules in the order they are tried')
    .action(run.action({ parse: noArguments, perform: (context) => context.routing.list(), render: formatRuleList }));

  conditionOptions(run.command(routing, 'add', 'add a rule (last unless --position says)'))
    .requiredOption('--team <team>', 'the team (id or name) its conversations go to')
    .option('--position <n>', 'where it goes in the order (1 first)')
    .option('--disabled', 'add it switched off')
    .action(
      run.action({
        parse: (values, options) => {
          const input = parseAdd(values, options);
          const condition = conditionFrom(input);
          if (condition === undefined) throw new ArgumentError('name the condition: --number, --keywords, --languages or --referral');
          return { ...input, condition };
        },
        perform: async (context, input): Promise<RoutingRuleView> =>
          context.routing.create(
            {
              condition: input.condition,
              teamId: await teamIdOf(context, input.team),
              enabled: input.disabled !== true,
              ...(input.position === undefined ? {} : { position: input.position }),
            },
            context.actor,
          ),
        render: formatRule('Added'),
      }),
    );

  conditionOptions(run.command(routing, 'update', 'change a rule’s condition, team, or whether it is enabled; its place stays'))
    .argument('<rule>', 'the rule’s id')
    .option('--team <team>', 'send its conversations to this team (id or name)')
    .option('--enable', 'switch it on')
    .option('--disable', 'switch it off')
    .action(
      run.action({
        parse: (values, options) => {
          const input = parseUpdate(values, options);
          if (input.enable === true && input.disable === true) throw new ArgumentError('--enable and --disable: give one of them');
          const condition = conditionFrom(input);
          if (condition === undefined && input.team === undefined && input.enable !== true && input.disable !== true)
            throw new ArgumentError('give what changes: a condition, --team, --enable or --disable');
          return { ...input, condition };
        },
        perform: async (context, input) => {
          const change: UpdateRoutingRuleRequest = {
            ...(input.condition === undefined ? {} : { condition: input.condition }),
            ...(input.team === undefined ? {} : { teamId: await teamIdOf(context, input.team) }),
            ...(input.enable === true ? { enabled: true } : input.disable === true ? { enabled: false } : {}),
          };
          return context.routing.update(input.rule, change, context.actor);
        },
        render: formatRule('Updated'),
      }),
    );

  run
    .command(routing, 'move', 'move a rule to a position (1 first); the others keep their order')
    .argument('<rule>', 'the rule’s id')
    .argument('<position>', '1 first; past the end: last')
    .action(
      run.action({ parse: parseMove, perform: (context, input) => context.routing.move(input.rule, input.position, context.actor), render: formatRuleList }),
    );

  run
    .command(routing, 'remove', 'delete a rule; the ones after it move up')
    .argument('<rule>', 'the rule’s id')
    .action(run.action({ parse: parseRemove, perform: (context, input) => context.routing.remove(input.rule, context.actor), render: formatRuleRemoved }));
}
