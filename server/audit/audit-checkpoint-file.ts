/**
 * The audit chain's checkpoint file: the row count and the last row's id and hash at a moment,
 * sealed with an HMAC under the audit chain's key, so a checkpoint cannot be lowered to match rows
 * someone removed without the server key. It lives outside the database (by default beside it in
 * the data dir; SPORTELLO_AUDIT_CHECKPOINT_FILE puts it elsewhere) and is written whole to a
 * temporary file, fsynced, then renamed over the old one: a reader never sees half a checkpoint.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditCheckpoint } from '../../common/api/admin.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { AuditChainKey } from '../store/group-commit.js';

const FORMAT = 'sportello-audit-checkpoint';

const CheckpointFile = AuditCheckpoint.extend({
  format: z.literal(FORMAT),
  version: z.literal(1),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

export interface CheckpointRead {
  readonly file: string;
  readonly checkpoint: AuditCheckpoint;
  /** Whether its seal is this server key's: false when it was edited or written under another key. */
  readonly sealed: boolean;
}

function sealOf(key: AuditChainKey, checkpoint: AuditCheckpoint): string {
  return key.auditHmac('audit checkpoint', JSON.stringify([FORMAT, 1, checkpoint.rows, checkpoint.headId, checkpoint.headHash, checkpoint.at]));
}

/** The checkpoint in `file`, or undefined when there is none; throws `audit_checkpoint_unreadable` for anything that is not one. */
export function readCheckpointFile(file: string, key: AuditChainKey): CheckpointRead | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CodedError(
      'audit_checkpoint_unreadable',
      `The audit checkpoint ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      undefined,
      { cause: error },
    );
  }
  let parsed: z.infer<typeof CheckpointFile>;
  try {
    parsed = CheckpointFile.parse(JSON.parse(text));
  } catch (error) {
    throw new CodedError('audit_checkpoint_unreadable', `${file} is not an audit checkpoint written by the Sportello server.`, undefined, { cause: error });
  }
  const checkpoint: AuditCheckpoint = { rows: parsed.rows, headId: parsed.headId, headHash: parsed.headHash, at: parsed.at };
  const expected = Buffer.from(sealOf(key, checkpoint), 'hex');
  const sealed = crypto.timingSafeEqual(expected, Buffer.from(parsed.mac, 'hex'));
  return { file, checkpoint, sealed };
}

/** `readCheckpointFile` for a file that must be there (the CLI's --checkpoint). */
export function requireCheckpointFile(file: string, key: AuditChainKey): CheckpointRead {
  const read = readCheckpointFile(file, key);
  if (read === undefined)
    throw new CodedError(
      'audit_checkpoint_unreadable',
      `There is no audit checkpoint at ${file}: name the file the server writes (SPORTELLO_AUDIT_CHECKPOINT_FILE), or a copy of it.`,
    );
  return read;
}

/** Writes `checkpoint`, sealed, to `file`: whole to a temporary file beside it, fsynced, renamed over it, the directory fsynced. */
export function writeCheckpointFile(file: string, key: AuditChainKey, checkpoint: AuditCheckpoint): void {
  const body = { format: FORMAT, version: 1, ...checkpoint, mac: sealOf(key, checkpoint) };
  const directory = path.dirname(file);
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const descriptor = fs.openSync(temporary, 'wx', 0o600);
    try {
      fs.writeFileSync(descriptor, `${JSON.stringify(body, null, 2)}\n`);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  const directoryDescriptor = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(directoryDescriptor);
  } finally {
    fs.closeSync(directoryDescriptor);
  }
}
