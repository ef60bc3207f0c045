/**
 * What goes wrong with a backup, each with a stable code for scripts and monitoring: the key is
 * missing or is not the one the archive was made with, the archive was changed or cut short, the
 * restore target is not empty, or a tool (pg_dump, pg_restore) failed.
 */
import { CodedError } from '../../common/errors/coded-error.js';

export type BackupErrorCode =
  | 'backup_key_missing'
  | 'backup_dir_missing'
  | 'backup_not_found'
  | 'backup_key_wrong'
  | 'backup_tampered'
  | 'backup_truncated'
  | 'restore_target_not_empty'
  | 'backup_tool_failed';

export class BackupError extends CodedError<BackupErrorCode> {
  constructor({ code, message, cause }: { code: BackupErrorCode; message: string; cause?: unknown }) {
    super(code, message, undefined, cause === undefined ? undefined : { cause });
    this.name = 'BackupError';
  }
}
