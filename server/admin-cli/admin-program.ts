/**
 * The admin CLI as a commander program: the command groups, and how a failure becomes one line
 * on stderr and an exit code (0 done, 1 refused or bad input, 2 audit chain broken).
 */
import { Command, CommanderError } from 'commander';
import { isCodedError } from '../../common/errors/coded-error.js';
import { AdminRunner } from './admin-command.js';
import type { CliIo } from './admin-command.js';
import { registerAgentCommands } from './agents-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerDeviceCommands } from './devices-commands.js';
import { registerNumberCommands } from './numbers-commands.js';
import { registerPersonalDataCommands } from './personal-data-commands.js';
import { registerRoutingCommands } from './routing-commands.js';
import { registerPaymentProviderCommands } from './payment-provider-commands.js';
import { registerSafetyCommands } from './safety-commands.js';
import { registerBriefingCommands } from './briefing-commands.js';
import { registerSessionCommands } from './sessions-commands.js';
import { registerTeamCommands } from './teams-commands.js';

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `error [code]: message`: the code is stable for scripts, the message is for people. */
export function failureLine(error: unknown): string {
  if (isCodedError(error)) return `error [${error.code}]: ${oneLine(error.message)}`;
  const code = (error as { code?: unknown } | null)?.code;
  // Another connection held the write lock past busy_timeout, or committed under our read: the transaction rolled back.
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return 'error [store_busy]: The database was busy (the server is writing): nothing changed; run the command again.';
  }
  return `error [internal]: ${oneLine(error instanceof Error ? error.message : String(error))}`;
}

export function buildAdminProgram(run: AdminRunner): Command {
  const program = new Command('admin')
    .description(
      'Sportello administration on the server machine: devices, agents, teams, routing rules, sessions, the audit log, business numbers, personal-data exports. Reads the same settings as the server.',
    )
    // Set before the groups are added, so every subcommand inherits them.
    .exitOverride()
    .configureOutput({ writeOut: (text) => run.io.writeOut(text), writeErr: (text) => run.io.writeErr(text) });
  registerDeviceCommands(program, run);
  registerAgentCommands(program, run);
  registerSessionCommands(program, run);
  registerAuditCommands(program, run);
  registerNumberCommands(program, run);
  registerTeamCommands(program, run);
  registerRoutingCommands(program, run);
  registerSafetyCommands(program, run);
  registerPersonalDataCommands(program, run);
  registerBriefingCommands(program, run);
  registerPaymentProviderCommands(program, run);
  registerBackupCommands(program, run);
  return program;
}

/** Runs one command line (without node and the script); resolves with the exit code. */
export async function runAdminCli(args: readonly string[], io: CliIo): Promise<number> {
  const run = new AdminRunner(io);
  try {
    await buildAdminProgram(run).parseAsync([...args], { from: 'user' });
    return run.exitCode;
  } catch (error) {
    // Commander has already printed its own message (unknown command, missing option, help).
    if (error instanceof CommanderError) return error.exitCode;
    io.writeErr(`${failureLine(error)}\n`);
    return 1;
  }
}
