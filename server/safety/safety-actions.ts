/**
 * What every safety rule calls when it refuses, warns, holds or redacts: the act is counted in
 * /metrics (`sportello_safety_actions_total{rule,action}`) and written to the audit log as
 * `safety.<rule>.<action>`, naming the conversation, agent, workstation and message or file by
 * their ids only. The entry has no field for text, on purpose: no message text, card digits,
 * code or link reaches the log (docs/safety-rules.md, "The policy").
 */
import type { SafetyAction, SafetyRule } from '../../common/safety/safety-actions.js';
import { appendAudit } from '../audit/audit-log.js';
import type { AuditOutcome } from '../audit/audit-log.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';

export interface SafetyActionEntry {
  readonly rule: SafetyRule;
  readonly action: SafetyAction;
  readonly conversationId?: number | null;
  /** The agent whose act the rule judged (null: a customer's message, a system scan). */
  readonly agentId?: number | null;
  readonly deviceId?: number | null;
  readonly messageId?: number | null;
  readonly mediaId?: number | null;
}

/** What the audit row says a rule did: refused and quarantined are refusals, the rest went ahead (with a warning, a hold, a mask). */
function outcomeOf(action: SafetyAction): AuditOutcome {
  return action === 'refused' || action === 'quarantined' ? 'refused' : 'ok';
}

export function safetyAuditEvent(entry: Pick<SafetyActionEntry, 'rule' | 'action'>): string {
  return `safety.${entry.rule}.${entry.action}`;
}

/** Appends the audit row of a safety action inside the caller's transaction (the act and its row commit together). */
export async function appendSafetyAudit(trx: StoreTransaction, entry: SafetyActionEntry, now: number): Promise<void> {
  const details: Record<string, number> = {};
  if (entry.conversationId != null) details.conversationId = entry.conversationId;
  if (entry.messageId != null) details.messageId = entry.messageId;
  if (entry.mediaId != null) details.mediaId = entry.mediaId;
  await appendAudit(
    trx,
    {
      event: safetyAuditEvent(entry),
      outcome: outcomeOf(entry.action),
      actor: entry.agentId == null ? 'system' : `agent:${entry.agentId}`,
      agentId: entry.agentId ?? null,
      deviceId: entry.deviceId ?? null,
      details,
    },
    now,
  );
}

export interface SafetyActionsDeps {
  readonly committer: GroupCommitter;
  readonly metrics: ServerMetrics;
  readonly now: () => number;
}

export class SafetyActions {
  readonly #deps: SafetyActionsDeps;

  constructor(deps: SafetyActionsDeps) {
    this.#deps = deps;
  }

  /** Counts the act and commits its audit row (in a transaction of its own). */
  async record(entry: SafetyActionEntry): Promise<void> {
    await this.#deps.committer.submit((trx) => appendSafetyAudit(trx, entry, this.#deps.now()));
    this.counted(entry);
  }

  /**
   * Counts an act whose audit row the caller appended in its own transaction
   * (appendSafetyAudit), once that transaction committed.
   */
  counted(entry: Pick<SafetyActionEntry, 'rule' | 'action'>): void {
    this.#deps.metrics.safetyActions.inc({ rule: entry.rule, action: entry.action });
  }
}
