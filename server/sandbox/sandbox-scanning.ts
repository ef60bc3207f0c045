/**
 * The sandbox (`npm start`) without a virus scanner (issue 13; docs/safety-rules.md, "Without a
 * scanner"): the policy as shipped opens only files with a clean scan, so with no clamd every
 * customer's file would stay closed. A sandbox whose policy was never changed therefore stores it
 * with `attachments.refuseFilesWithoutCleanScan` off, audited as the `sandbox`'s change, and says
 * so plainly; a policy an admin set is left as it is, and the line says what it means. A server
 * outside the sandbox never does this: there the admin decides.
 */
import type { Logger } from 'pino';
import type { SafetyPolicies } from '../safety/safety-policies.js';

export async function openUnscannedFilesInTheSandbox(policies: SafetyPolicies, log: Logger): Promise<void> {
  const current = await policies.current();
  if (current.version === 0) {
    await policies.change(
      { version: 0, policy: { ...current.policy, attachments: { ...current.policy.attachments, refuseFilesWithoutCleanScan: false } } },
      { name: 'sandbox', agentId: null, sourceAddress: null },
    );
    log.warn(
      'sandbox without a virus scanner: customers’ files are NOT scanned, and the safety policy was set to open unscanned files (attachments.refuseFilesWithoutCleanScan off); turn it on again in the admin screens’ Safety panel once clamd runs',
    );
  } else if (current.policy.attachments.refuseFilesWithoutCleanScan) {
    log.warn('sandbox without a virus scanner: the safety policy keeps unscanned files closed, so no customer’s file opens until clamd runs');
  } else {
    log.warn('sandbox without a virus scanner: customers’ files are NOT scanned (the safety policy opens unscanned files)');
  }
}
