/** `audit …`: read the audit log and verify its hash chain. */
import type { Command } from 'commander';
import { z } from 'zod';
import { AuditListQuery } from '../../common/api/admin.js';
import { requireCheckpointFile } from '../audit/audit-checkpoint-file.js';
import { auditEntryView, listAudit, verifyAndRecordAuditChain } from '../audit/audit-log.js';
import type { AdminRunner } from './admin-command.js';
import { argumentsOf, typedNumber } from './arguments.js';
import { formatAuditList, formatVerification } from './audit-format.js';

/** Exit code of `audit verify` when the chain is broken, so monitoring tells it from a usage error (1). */
export const CHAIN_BROKEN_EXIT_CODE = 2;

const parseVerify = argumentsOf(z.object({ checkpoint: z.string().trim().min(1, 'must name the checkpoint file').optional() }));

const parseList = argumentsOf(
  z.object({ limit: typedNumber(AuditListQuery.shape.limit, 'must be a whole number from 1 to 500'), event: AuditListQuery.shape.event }),
);

export function registerAuditCommands(program: Command, run: AdminRunner): void {
  const audit = program.command('audit').description('read and verify the audit log');

  run
    .command(audit, 'list', 'the newest audit entries first')
    .option('--limit <n>', 'how many entries, 1 to 500', '100')
    .option('--event <name>', 'only this event, e.g. device.revoked')
    .action(
      run.action({
        parse: parseList,
        perform: async (context, input) => (await listAudit(context.db, input)).map(auditEntryView),
        render: formatAuditList,
      }),
    );

  run
    .command(audit, 'verify', `recompute the hash chain: exit code 0 when it holds, ${CHAIN_BROKEN_EXIT_CODE} when broken (naming the first broken row)`)
    .option('--checkpoint <file>', 'also check that the store still holds every row this checkpoint saw (the file the server writes, or a copy kept elsewhere)')
    .action(
      run.action({
        parse: parseVerify,
        perform: (context, input) => {
          const checkpoint = input.checkpoint === undefined ? undefined : requireCheckpointFile(input.checkpoint, context.auditKey);
          return verifyAndRecordAuditChain(context.db, context.committer, context.actor, Date.now(), checkpoint);
        },
        render: formatVerification,
        exitCode: (result) => (result.ok ? 0 : CHAIN_BROKEN_EXIT_CODE),
      }),
    );
}
