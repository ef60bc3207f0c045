/**
 * The Cloud API's Block Users answers (POST / DELETE /{phone-number-id}/block_users), read into
 * what happened to each user. Wire facts: docs/customer-blocks.md.
 */
import { z } from 'zod';

export type BlockUsersAction = 'block' | 'unblock';

const UserError = z.looseObject({
  code: z.union([z.number().int(), z.string()]).optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});
const UserEntry = z.looseObject({ input: z.string().optional(), wa_id: z.string().optional(), errors: z.array(UserError).optional() });
const BlockUsersBody = z.looseObject({
  block_users: z.looseObject({
    added_users: z.array(UserEntry).optional(),
    removed_users: z.array(UserEntry).optional(),
    failed_users: z.array(UserEntry).optional(),
  }),
});

export interface BlockedUserFailure {
  readonly input: string | undefined;
  /** Meta's code as ours: `meta_131047`. */
  readonly code: string;
  readonly details: string | undefined;
}

export interface BlockUsersAnswer {
  /** The users the action took effect for (added_users when blocking, removed_users when unblocking), by input. */
  readonly done: readonly string[];
  readonly failed: readonly BlockedUserFailure[];
}

/** The answer's users, or undefined when the body is not a Block Users answer. */
export function blockUsersAnswer(action: BlockUsersAction, body: unknown): BlockUsersAnswer | undefined {
  const parsed = BlockUsersBody.safeParse(body);
  if (!parsed.success) return undefined;
  const lists = parsed.data.block_users;
  const done = (action === 'block' ? lists.added_users : lists.removed_users) ?? [];
  return {
    done: done.map((entry) => entry.input ?? entry.wa_id ?? ''),
    failed: (lists.failed_users ?? []).map((entry) => {
      const error = entry.errors?.[0];
      return {
        input: entry.input,
        code: error?.code === undefined ? 'meta_unknown' : `meta_${error.code}`,
        details: error?.error_data?.details ?? error?.message,
      };
    }),
  };
}
