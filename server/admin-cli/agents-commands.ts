/** `agents …`: create agents (with their one-time enrollment code), list, disable, unlock, reset. */
import type { Command } from 'commander';
import { z } from 'zod';
import { CreateAgentRequest } from '../../common/api/admin.js';
import type { AgentView } from '../../common/api/admin.js';
import { Roles, Username } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { AdminRunner } from './admin-command.js';
import type { AdminContext } from './admin-context.js';
import { argumentsOf, commaList, noArguments } from './arguments.js';
import { formatAgentCreated, formatAgentList, formatDisabled, formatRecoveryCodes, formatRolesSet, formatTotpReset, formatUnlocked } from './agents-format.js';

const RolesTyped = commaList(Roles);
const TeamIdsTyped = commaList(z.array(z.coerce.number().int('a team id is a whole number').positive('a team id is a whole number from teams list')));

const parseAdd = argumentsOf(
  z.object({
    username: CreateAgentRequest.shape.username,
    name: CreateAgentRequest.shape.displayName,
    roles: RolesTyped,
    teams: TeamIdsTyped.optional(),
  }),
  'username',
);

/** An agent named by id (digits) or username; digits may be both, which resolveAgent settles. */
export const AgentRef = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  const id = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : null;
  const username = Username.safeParse(trimmed);
  if (id === null && !username.success) {
    ctx.addIssue({ code: 'custom', message: `give the agent's id or username (${username.error.issues[0]?.message ?? 'not a username'})` });
    return z.NEVER;
  }
  return { text: trimmed, id, username: username.success ? username.data : null };
});
type AgentRef = z.infer<typeof AgentRef>;
const parseAgentRef = argumentsOf(z.object({ agent: AgentRef }), 'agent');
const parseSetRoles = argumentsOf(z.object({ agent: AgentRef, roles: RolesTyped }), 'agent', 'roles');

export async function resolveAgent(context: AdminContext, ref: AgentRef): Promise<AgentView> {
  const agents = await context.agents.list();
  const byId = agents.find((agent) => agent.id === ref.id);
  const byUsername = agents.find((agent) => agent.username === ref.username);
  // "42" may be agent #42 and also someone's username: acting on the wrong person is worse than asking.
  if (byId !== undefined && byUsername !== undefined && byId.id !== byUsername.id) {
    throw new CodedError(
      'agent_ambiguous',
      `"${ref.text}" is both the id of ${byId.username} and the username of agent #${byUsername.id}: name ${byId.username} by username, or the other by id.`,
    );
  }
  const agent = byUsername ?? byId;
  if (agent === undefined) throw new CodedError('agent_not_found', `There is no agent with the id or username "${ref.text}" (see agents list).`);
  return agent;
}

/** `agents <verb> <id|username>`: a command acting on one existing agent, named by id or username. */
function registerOnAgent<Result>(
  run: AdminRunner,
  agents: Command,
  [name, description]: readonly [string, string],
  act: (context: AdminContext, agentId: number) => Promise<Result>,
  render: (result: Result) => string,
): void {
  run
    .command(agents, name, description)
    .argument('<agent>', 'id or username')
    .action(run.action({ parse: parseAgentRef, perform: async (context, input) => act(context, (await resolveAgent(context, input.agent)).id), render }));
}

export function registerAgentCommands(program: Command, run: AdminRunner): void {
  const agents = program.command('agents').description('create and manage agents');

  run
    .command(agents, 'add', 'create an agent: prints their one-time enrollment code (valid 72 hours), once')
    .argument('<username>', '2 to 64 letters, digits, dots, dashes or underscores')
    .requiredOption('--name <display name>', 'the name colleagues and customers see')
    .option('--roles <roles>', 'the roles held, comma-separated: agent, supervisor, admin (admin alone reads no conversation)', 'agent')
    .option('--teams <ids>', 'team ids to join, comma-separated (member as agent, supervisor as supervisor); default: the default team')
    .action(
      run.action({
        parse: parseAdd,
        perform: (context, input) =>
          context.agents.create(
            { username: input.username, displayName: input.name, roles: input.roles, ...(input.teams === undefined ? {} : { teamIds: input.teams }) },
            context.actor,
          ),
        render: formatAgentCreated,
      }),
    );

  run
    .command(agents, 'set-roles', 'replace the roles an agent holds; what they may read follows at once')
    .argument('<agent>', 'id or username')
    .argument('<roles>', 'comma-separated: agent, supervisor, admin')
    .action(
      run.action({
        parse: parseSetRoles,
        perform: async (context, input) => context.agents.setRoles((await resolveAgent(context, input.agent)).id, input.roles, context.actor),
        render: formatRolesSet,
      }),
    );

  run
    .command(agents, 'list', 'every agent with roles, status and lock')
    .action(run.action({ parse: noArguments, perform: (context) => context.agents.list(), render: formatAgentList }));

  registerOnAgent(
    run,
    agents,
    ['disable', 'disable an agent: every session ends now'],
    (context, id) => context.agents.disable(id, context.actor),
    formatDisabled,
  );
  registerOnAgent(
    run,
    agents,
    ['unlock', 'unlock an agent locked after too many failed logins'],
    (context, id) => context.agents.unlock(id, context.actor),
    formatUnlocked,
  );
  registerOnAgent(
    run,
    agents,
    ['reset-totp', "reset an agent's authenticator: their sessions end; prints a new enrollment code, once"],
    (context, id) => context.agents.resetTotp(id, context.actor),
    formatTotpReset,
  );
  registerOnAgent(
    run,
    agents,
    ['recovery-codes', "replace an agent's recovery codes: prints ten new ones, once"],
    (context, id) => context.agents.regenerateRecoveryCodes(id, context.actor),
    formatRecoveryCodes,
  );
}
