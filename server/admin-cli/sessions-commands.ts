/** `sessions …`: who is signed in where, and ending one session (audited). */
import type { Command } from 'commander';
import { z } from 'zod';
import type { AdminRunner } from './admin-command.js';
import { argumentsOf, noArguments, typedNumber } from './arguments.js';
import { formatSessionEnded, formatSessionList } from './sessions-format.js';

const parseEnd = argumentsOf(
  z.object({ session: typedNumber(z.coerce.number().int().positive(), 'must be a session id (digits), see sessions list') }),
  'session',
);

export function registerSessionCommands(program: Command, run: AdminRunner): void {
  const sessions = program.command('sessions').description('see who is signed in where, and end a session');

  run
    .command(sessions, 'list', 'every live session: agent, workstation, address, signed in, last seen')
    .action(run.action({ parse: noArguments, perform: (context) => context.sessions.list(), render: formatSessionList }));

  run
    .command(sessions, 'end', 'end one session now: its workstation is signed out at once (audited)')
    .argument('<session>', 'the session id (see sessions list)')
    .action(
      run.action({
        parse: parseEnd,
        perform: (context, input) => context.sessions.end(input.session, context.actor),
        render: formatSessionEnded,
      }),
    );
}
