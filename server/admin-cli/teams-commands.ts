/** `teams …`: create, rename and remove teams; add and remove members (with their capacity) and supervisors; the offline requeue time. */
import type { Command } from 'commander';
import { z } from 'zod';
import { Capacity, DEFAULT_CAPACITY, OfflineRequeueSeconds, TeamDescription, TeamName } from '../../common/api/teams.js';
import type { TeamView } from '../../common/api/teams.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { AdminRunner } from './admin-command.js';
import type { AdminContext } from './admin-context.js';
import { argumentsOf, noArguments, typedNumber } from './arguments.js';
import { AgentRef, resolveAgent } from './agents-commands.js';
import { formatTeam, formatTeamList, formatTeamRemoved } from './teams-format.js';

/** A team named by id (digits) or by name (without regard to case). */
const TeamRef = z
  .string()
  .trim()
  .min(1, 'give the team’s id or name (see teams list)')
  .transform((text) => ({ text, id: /^\d{1,15}$/.test(text) ? Number(text) : null }));
type TeamRef = z.infer<typeof TeamRef>;
const CapacityTyped = typedNumber(z.coerce.number().pipe(Capacity), 'capacity must be a whole number, 0 or more');

export async function resolveTeam(context: AdminContext, ref: TeamRef): Promise<TeamView> {
  const { teams } = await context.teams.list();
  const byName = teams.find((team) => team.name.toLowerCase() === ref.text.toLowerCase());
  const byId = teams.find((team) => team.id === ref.id);
  if (byId !== undefined && byName !== undefined && byId.id !== byName.id) {
    throw new CodedError('team_ambiguous', `"${ref.text}" is both the id of ${byId.name} and the name of team #${byName.id}: name the other one by id.`);
  }
  const team = byName ?? byId;
  if (team === undefined) throw new CodedError('team_not_found', `There is no team with the id or name "${ref.text}" (see teams list).`);
  return team;
}

const parseCreate = argumentsOf(z.object({ name: TeamName, description: TeamDescription.optional() }), 'name');
const parseRename = argumentsOf(z.object({ team: TeamRef, name: TeamName }), 'team', 'name');
const parseRemove = argumentsOf(z.object({ team: TeamRef, moveTo: TeamRef.optional() }), 'team');
const parseAddMember = argumentsOf(z.object({ team: TeamRef, agent: AgentRef, capacity: CapacityTyped.optional() }), 'team', 'agent');
const parseSetCapacity = argumentsOf(z.object({ team: TeamRef, agent: AgentRef, capacity: CapacityTyped }), 'team', 'agent', 'capacity');
const SecondsTyped = typedNumber(z.coerce.number().pipe(OfflineRequeueSeconds), 'the offline requeue time is a whole number of seconds, 0 or more, or never');
/** Seconds, or `never`. */
const OfflineRequeueTyped = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === 'never') return null;
    const parsed = SecondsTyped.safeParse(text);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'the offline requeue time is a whole number of seconds, or never' });
    return z.NEVER;
  });
const parseSetOfflineRequeue = argumentsOf(z.object({ team: TeamRef, seconds: OfflineRequeueTyped }), 'team', 'seconds');
const parseTeamAgent = argumentsOf(z.object({ team: TeamRef, agent: AgentRef }), 'team', 'agent');

export function registerTeamCommands(program: Command, run: AdminRunner): void {
  const teams = program.command('teams').description('teams: who answers which conversations (members with capacities) and who supervises them');

  run
    .command(teams, 'list', 'every team with its members, capacities, supervisors, numbers and conversation count')
    .action(run.action({ parse: noArguments, perform: (context) => context.teams.list(), render: formatTeamList }));

  run
    .command(teams, 'create', 'create a team (names are unique without regard to case)')
    .argument('<name>', 'the team’s name')
    .option('--description <text>', 'what the team does')
    .action(
      run.action({
        parse: parseCreate,
        perform: (context, input) =>
          context.teams.create({ name: input.name, ...(input.description === undefined ? {} : { description: input.description }) }, context.actor),
        render: formatTeam('Created'),
      }),
    );

  run
    .command(teams, 'rename', 'rename a team')
    .argument('<team>', 'id or name')
    .argument('<name>', 'the new name')
    .action(
      run.action({
        parse: parseRename,
        perform: async (context, input) => context.teams.update((await resolveTeam(context, input.team)).id, { name: input.name }, context.actor),
        render: formatTeam('Renamed'),
      }),
    );

  run
    .command(teams, 'remove', 'delete a team; refused while it holds conversations unless they move to another team')
    .argument('<team>', 'id or name')
    .option('--move-to <team>', 'the team (id or name) its conversations and numbers go to')
    .action(
      run.action({
        parse: parseRemove,
        perform: async (context, input) => {
          const team = await resolveTeam(context, input.team);
          const target = input.moveTo === undefined ? undefined : (await resolveTeam(context, input.moveTo)).id;
          return context.teams.remove(team.id, target === undefined ? {} : { moveConversationsTo: target }, context.actor);
        },
        render: formatTeamRemoved,
      }),
    );

  run
    .command(teams, 'add-member', 'add an agent to a team: they see its queue at once')
    .argument('<team>', 'id or name')
    .argument('<agent>', 'id or username')
    .option('--capacity <n>', `open conversations they can hold at once (default ${DEFAULT_CAPACITY})`)
    .action(
      run.action({
        parse: parseAddMember,
        perform: async (context, input) => {
          const [team, agent] = await Promise.all([resolveTeam(context, input.team), resolveAgent(context, input.agent)]);
          return context.teams.addMember(team.id, { agentId: agent.id, capacity: input.capacity ?? DEFAULT_CAPACITY }, context.actor);
        },
        render: formatTeam('Added a member to'),
      }),
    );

  run
    .command(teams, 'set-capacity', 'set how many open conversations a member can hold at once (0: none new)')
    .argument('<team>', 'id or name')
    .argument('<agent>', 'id or username')
    .argument('<capacity>', 'a whole number, 0 or more')
    .action(
      run.action({
        parse: parseSetCapacity,
        perform: async (context, input) => {
          const [team, agent] = await Promise.all([resolveTeam(context, input.team), resolveAgent(context, input.agent)]);
          return context.teams.setCapacity(team.id, agent.id, input.capacity, context.actor);
        },
        render: formatTeam('Set a capacity in'),
      }),
    );

  run
    .command(
      teams,
      'set-offline-requeue',
      'how long a member may be offline (disconnected or locked) before their open conversations of the team go back to its queue',
    )
    .argument('<team>', 'id or name')
    .argument('<seconds>', 'a whole number of seconds, 0 or more (0: at once), or never')
    .action(
      run.action({
        parse: parseSetOfflineRequeue,
        perform: async (context, input) =>
          context.teams.update((await resolveTeam(context, input.team)).id, { offlineRequeueAfterSeconds: input.seconds }, context.actor),
        render: formatTeam('Set the offline requeue time of'),
      }),
    );

  const onMember = (name: string, description: string, act: (context: AdminContext, teamId: number, agentId: number) => Promise<TeamView>, verb: string) =>
    run
      .command(teams, name, description)
      .argument('<team>', 'id or name')
      .argument('<agent>', 'id or username')
      .action(
        run.action({
          parse: parseTeamAgent,
          perform: async (context, input) => {
            const [team, agent] = await Promise.all([resolveTeam(context, input.team), resolveAgent(context, input.agent)]);
            return act(context, team.id, agent.id);
          },
          render: formatTeam(verb),
        }),
      );
  onMember(
    'remove-member',
    'take an agent out of a team: its conversations assigned to them go back to its queue',
    (context, team, agent) => context.teams.removeMember(team, agent, context.actor),
    'Removed a member from',
  );
  onMember(
    'add-supervisor',
    'make a supervisor supervise a team: they see all its conversations',
    (context, team, agent) => context.teams.addSupervisor(team, agent, context.actor),
    'Added a supervisor to',
  );
  onMember(
    'remove-supervisor',
    'stop a supervisor supervising a team',
    (context, team, agent) => context.teams.removeSupervisor(team, agent, context.actor),
    'Removed a supervisor from',
  );
}
