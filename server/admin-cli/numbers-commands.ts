/** `numbers …`: the business numbers this server serves, their tokens, and webhooks from numbers it does not serve. */
import type { Command } from 'commander';
import { z } from 'zod';
import { AccessToken, AppSecret, NumberDisplayName, PhoneNumberId, WabaId } from '../../common/api/business-numbers.js';
import type { AdminRunner, Terminal } from './admin-command.js';
import { ArgumentError, argumentsOf, noArguments } from './arguments.js';
import { resolveTeam } from './teams-commands.js';
import { formatNumberAdded, formatNumberList, formatNumberRemoved, formatTokenRotated } from './numbers-format.js';

const SECRETS_HELP =
  'The access token (and with --own-app-secret the app secret, on the next line) is read from stdin, or asked for without echo on a terminal: never give it as an argument, which everyone on this machine sees in `ps`.';

const parseAdd = argumentsOf(
  z.object({
    phoneNumberId: PhoneNumberId,
    waba: WabaId,
    name: NumberDisplayName,
    ownAppSecret: z.boolean().default(false),
  }),
  'phoneNumberId',
);
const parsePhoneNumberId = argumentsOf(z.object({ phoneNumberId: PhoneNumberId }), 'phoneNumberId');

/** What `readSecrets` adds to the parsed arguments; unset until it ran. */
interface Secrets {
  readonly accessToken: string;
  readonly appSecret: string | undefined;
}
type WithSecrets<T> = T & { secrets?: Secrets };

function secretsOf(input: { secrets?: Secrets }): Secrets {
  if (input.secrets === undefined) throw new ArgumentError('access token: none was read');
  return input.secrets;
}
const parseSetTeam = argumentsOf(
  z.object({ phoneNumberId: PhoneNumberId, team: z.string().trim().min(1, 'give a team id or name, or "default"') }),
  'phoneNumberId',
  'team',
);
const parseRemove = argumentsOf(z.object({ phoneNumberId: PhoneNumberId, moveConversationsTo: PhoneNumberId.optional() }), 'phoneNumberId');

/** One secret, read and checked: a bad one stops the command before the store is opened. */
async function readChecked(terminal: Terminal, prompt: string, name: string, schema: z.ZodType<string>): Promise<string> {
  const read = await terminal.readSecret(prompt);
  if (read.trim() === '') {
    throw new ArgumentError(`${name}: none was given (pipe it on stdin, e.g. \`numbers ... < token-file\`, or run on a terminal to be asked)`);
  }
  const checked = schema.safeParse(read);
  // The message names the rule, never echoes what was read.
  if (!checked.success) throw new ArgumentError(`${name}: ${checked.error.issues[0]?.message ?? 'is invalid'}`);
  return checked.data;
}

export function registerNumberCommands(program: Command, run: AdminRunner): void {
  const numbers = program
    .command('numbers')
    .description('the WhatsApp business numbers this server serves: add, list, replace a token, remove')
    .addHelpText('after', `\n${SECRETS_HELP}`);

  run
    .command(numbers, 'list', 'every number with its health and conversations, and webhooks received for numbers not served here')
    .action(run.action({ parse: noArguments, perform: (context) => context.numbers.list(), render: formatNumberList }));

  run
    .command(numbers, 'add', 'serve another number: its token (stdin or prompt) is sealed under the server key')
    .argument('<phoneNumberId>', 'the phone number ID (WhatsApp Manager → Phone numbers), not the phone number itself')
    .requiredOption('--waba <id>', 'the WhatsApp Business Account ID the number belongs to')
    .requiredOption('--name <display name>', 'what agents see on its conversations, e.g. "Sales Italy"')
    .option('--own-app-secret', 'the number belongs to another Meta app than WHATSAPP_APP_SECRET’s: its app secret is read after the token')
    .addHelpText('after', `\n${SECRETS_HELP}`)
    .action(
      run.action({
        parse: (values, options): WithSecrets<ReturnType<typeof parseAdd>> => parseAdd(values, options),
        readSecrets: async (input, terminal) => ({
          ...input,
          secrets: {
            accessToken: await readChecked(terminal, 'Access token (not shown): ', 'access token', AccessToken),
            appSecret: input.ownAppSecret ? await readChecked(terminal, 'App secret (not shown): ', 'app secret', AppSecret) : undefined,
          },
        }),
        perform: async (context, input) => {
          const { accessToken, appSecret } = secretsOf(input);
          await context.numbers.add({ phoneNumberId: input.phoneNumberId, wabaId: input.waba, displayName: input.name, accessToken, appSecret }, context.actor);
          return { phoneNumberId: input.phoneNumberId, wabaId: input.waba, displayName: input.name, ownAppSecret: input.ownAppSecret };
        },
        render: formatNumberAdded,
      }),
    );

  run
    .command(numbers, 'rotate-token', 'replace a number’s access token (a re-authorisation after Meta refused it): read from stdin or a prompt')
    .argument('<phoneNumberId>', 'the number’s phone number ID')
    .addHelpText('after', `\n${SECRETS_HELP}`)
    .action(
      run.action({
        parse: parsePhoneNumberId,
        readSecrets: async (input, terminal) => ({
          ...input,
          accessToken: await readChecked(terminal, 'New access token (not shown): ', 'access token', AccessToken),
        }),
        perform: async (context, input) => {
          await context.numbers.rotateToken(input.phoneNumberId, 'accessToken' in input ? String(input.accessToken) : '', context.actor);
          return { phoneNumberId: input.phoneNumberId };
        },
        render: formatTokenRotated,
      }),
    );

  run
    .command(numbers, 'set-team', 'name the team the number’s new conversations go to ("default": the default team); its conversations stay where they are')
    .argument('<phoneNumberId>', 'the number’s phone number ID')
    .argument('<team>', 'a team id or name, or "default"')
    .action(
      run.action({
        parse: parseSetTeam,
        perform: async (context, input) => {
          const team =
            input.team.toLowerCase() === 'default'
              ? null
              : await resolveTeam(context, { text: input.team, id: /^\d{1,15}$/.test(input.team) ? Number(input.team) : null });
          await context.numbers.setTeam(input.phoneNumberId, team?.id ?? null, context.actor);
          return context.numbers.get(input.phoneNumberId);
        },
        render: (number) =>
          `${number.displayName} (${number.phoneNumberId}) now sends its new conversations to ${number.defaultTeamId === null ? 'the default team' : `team #${number.defaultTeamId}`}.`,
      }),
    );

  run
    .command(numbers, 'remove', 'stop serving a number; refused while it has conversations unless they move to another number')
    .argument('<phoneNumberId>', 'the number’s phone number ID')
    .option('--move-conversations-to <phoneNumberId>', 'answer its conversations from this configured number from now on')
    .action(
      run.action({
        parse: parseRemove,
        perform: async (context, input) => {
          const removal =
            input.moveConversationsTo === undefined ? { kind: 'refuse' as const } : { kind: 'move_to' as const, phoneNumberId: input.moveConversationsTo };
          const { moved } = await context.numbers.remove(input.phoneNumberId, removal, context.actor);
          return { phoneNumberId: input.phoneNumberId, movedConversations: moved, movedTo: input.moveConversationsTo ?? null };
        },
        render: formatNumberRemoved,
      }),
    );
}
