/**
 * The server's checkpoints of the audit chain: each one goes to the log (row count, last row,
 * head hash) and to the checkpoint file; a store that no longer contains the last checkpoint is
 * logged as an error every time and shown on /metrics, and the file is left as it is.
 */
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { AuditCheckpointer } from './audit-checkpointer.js';
import type { AuditCheckpointerOptions, CheckpointReport, CheckpointTarget } from './audit-checkpointer.js';

export function serverCheckpoints(target: CheckpointTarget, log: Logger, metrics: ServerMetrics, options?: AuditCheckpointerOptions): AuditCheckpointer {
  const report: CheckpointReport = (outcome, reason) => {
    switch (outcome.kind) {
      case 'written':
      case 'unchanged':
        metrics.auditCheckpointMismatch.set(0);
        // A checkpoint is logged whenever one is written, and every interval even when the chain has not grown.
        if (outcome.kind === 'written' || reason !== 'audit') log.info({ auditCheckpoint: outcome.checkpoint, file: target.file, reason }, 'audit checkpoint');
        return;
      case 'refused':
        metrics.auditCheckpointMismatch.set(1);
        log.error({ file: target.file, reason }, `audit checkpoint not written: ${outcome.problem}`);
        return;
      case 'failed':
        log.error({ err: outcome.error, file: target.file, reason }, 'audit checkpoint: the file could not be written');
        return;
    }
  };
  return new AuditCheckpointer(target, report, options);
}
