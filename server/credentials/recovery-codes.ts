/** Ten single-use recovery codes per agent: shown once, stored as keyed hashes. */
import { RECOVERY_CODE_COUNT } from '../../common/api/session.js';
import { formatRecoveryCode, normalizeCode, RECOVERY_CODE_LENGTH } from '../../common/devices/pairing-code.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { randomCode } from './random-code.js';

/** Replaces the agent's recovery codes with ten new ones; returns them formatted, for showing once. */
export async function replaceRecoveryCodes(trx: StoreTransaction, key: ServerKey, agentId: number, now: number): Promise<string[]> {
  await trx.deleteFrom('recovery_codes').where('agent_id', '=', agentId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomCode(RECOVERY_CODE_LENGTH));
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ agent_id: agentId, code_hash: key.mac('recovery', code), created_at: now, used_at: null })))
    .execute();
  return codes.map((code) => formatRecoveryCode(code));
}

/** The keyed hash to look up, or null when the input cannot be a recovery code. */
export function recoveryCodeHash(key: ServerKey, input: string): string | null {
  const code = normalizeCode(input, RECOVERY_CODE_LENGTH);
  return code === null ? null : key.mac('recovery', code);
}

/** Marks the code used; true only the first time, for an unused code of this agent. */
export async function useRecoveryCode(trx: StoreTransaction, agentId: number, codeHash: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('agent_id', '=', agentId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
