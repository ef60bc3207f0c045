/** `audit …`: read the audit log and verify its hash chain. */
import type { Command } from 'commander';
import { z } from 'zod';
import { AuditListFields as AuditListQuery } from '../../common/api/admin.js';
import { requireCheckpointFile } from '../audit/audit-checkpoint-file.js';
import { auditEntryView, listAudit, verifyAndRecordAuditChain } from '../audit/audit-log.js';
import type { AdminRunner } from './admin-command.js';
import { argumentsOf, typedNumber } from './arguments.js';
import { formatAuditList, formatVerification } from './audit-format.js';

/** Exit code of `audit verify` when the chain is broken, so monitoring tells it from a usage error (1). */
export const CHAIN_BROKEN_EXIT_CODE = 2;

const parseVerify = argumentsOf(z.object({ checkpoint: z.string().trim().min(1, 'must name the checkpoint file').optional() }));

/** A time typed as ISO 8601 (2026-03-01, 2026-03-01T09:30Z), as epoch milliseconds. */
const Instant = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be a date or time in ISO 8601, e.g. 2026-03-01 or 2026-03-01T09:30:00Z' });
      return z.NEVER;
    }
    return ms;
  });

const parseList = argumentsOf(
  z
    .object({
      limit: typedNumber(AuditListQuery.shape.limit, 'must be a whole number from 1 to 500'),
      event: AuditListQuery.shape.event,
      actor: AuditListQuery.shape.actor,
      from: Instant.optional(),
      to: Instant.optional(),
    })
    .refine((input) => input.from === undefined || input.to === undefined || input.from < input.to, { message: 'must come before --to', path: ['from'] }),
);

export function registerAuditCommands(program: Command, run: AdminRunner): void {
  const audit = program.command('audit').description('read and verify the audit log');

  run
    .command(audit, 'list', 'the newest audit entries first')
    .option('--limit <n>', 'how many entries, 1 to 500', '100')
    .option('--event <name>', 'only this action, e.g. device.revoked, or every action of a kind, e.g. device')
    .option('--actor <who>', 'only acts by whoever this names, e.g. alice, agent:7 or cli:')
    .option('--from <time>', 'only from this time (ISO 8601, UTC unless it says otherwise)')
    .option('--to <time>', 'only before this time (ISO 8601)')
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
