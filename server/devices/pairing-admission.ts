/**
 * Which pairing requests may join the ones already waiting for a machine ID. A request proves
 * nothing by itself (the machine ID is claimed, the key is the sender's own), so it never ends
 * another pending pairing: a few may wait side by side, and the admin approves the one whose
 * code and fingerprint the workstation shows. A request that joins another key's waiting
 * pairing counts against its source address. Only a request signed with the key of an earlier
 * pending pairing (the same install asking again, after a restart) replaces that one.
 */
import type { StoreTransaction } from '../store/group-commit.js';

/** Pending pairings that may wait at once for one machine ID. */
export const MAX_PENDING_PAIRINGS_PER_MACHINE = 3;
/** Requests from one address that may join another key's waiting pairing, per pairing lifetime. */
export const MAX_CONTESTED_REQUESTS_PER_ADDRESS = 5;

export interface AdmissionRequest {
  readonly deviceId: number;
  readonly publicKey: string;
  /** Signed with `publicKey`: the sender holds that key. */
  readonly proven: boolean;
  readonly sourceAddress: string;
}

export type Admission =
  | { readonly ok: true; readonly contested: boolean; readonly replacedOwn: number }
  | { readonly ok: false; readonly code: 'pairing_requests_pending' | 'pairing_requests_throttled'; readonly message: string };

/** Decides, inside the request's transaction, and retires the sender's own earlier pending pairings when it may. */
export async function admitPairingRequest(trx: StoreTransaction, request: AdmissionRequest, now: number, windowMs: number): Promise<Admission> {
  const waiting = await trx
    .selectFrom('pairings')
    .select(['id', 'public_key'])
    .where('device_id', '=', request.deviceId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .execute();
  const own = request.proven ? waiting.filter((pairing) => pairing.public_key === request.publicKey) : [];
  const others = waiting.length - own.length;
  const minutes = Math.ceil(windowMs / 60_000);
  if (others >= MAX_PENDING_PAIRINGS_PER_MACHINE) {
    return {
      ok: false,
      code: 'pairing_requests_pending',
      message: `${others} pairing requests for this workstation are already waiting for an administrator. Ask IT to approve the one whose code and fingerprint this workstation shows and reject the others, or wait: they expire within ${minutes} minutes.`,
    };
  }
  const contested = others > 0 && own.length === 0;
  if (contested) {
    const recent = await trx
      .selectFrom('pairings')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('requested_from', '=', request.sourceAddress)
      .where('contested', '=', 1)
      .where('created_at', '>', now - windowMs)
      .executeTakeFirstOrThrow();
    if (Number(recent.count) >= MAX_CONTESTED_REQUESTS_PER_ADDRESS) {
      return {
        ok: false,
        code: 'pairing_requests_throttled',
        message: `Too many pairing requests from this network address asked for workstations that already have a request waiting. Wait ${minutes} minutes, or ask IT.`,
      };
    }
  }
  if (own.length > 0) {
    await trx
      .updateTable('pairings')
      .set({ status: 'superseded' })
      .where(
        'id',
        'in',
        own.map((pairing) => pairing.id),
      )
      .execute();
  }
  return { ok: true, contested, replacedOwn: own.length };
}
