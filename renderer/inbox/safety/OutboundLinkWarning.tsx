/**
 * Said as the agent types a link the policy does not let them send (common/links/outbound-links.ts,
 * the judgement the server refuses with): not https, or (allow list only) to a host off the list.
 * The problem it returns tells the composer to hold its Send button.
 */
import { useTranslation } from 'react-i18next';
import { outboundLinkProblem } from '../../../common/links/outbound-links.js';
import type { OutboundLinkProblem } from '../../../common/links/outbound-links.js';
import { useSafetyPolicy } from './safety-policy-context.js';

export function useOutboundLinkProblem(text: string): OutboundLinkProblem | undefined {
  const policy = useSafetyPolicy();
  return outboundLinkProblem([text], policy.links);
}

export function OutboundLinkWarning({ problem }: { problem: OutboundLinkProblem | undefined }) {
  const { t } = useTranslation();
  if (problem === undefined) return null;
  return (
    <p className="outbound-link-warning" role="alert">
      {t('links.outboundWarning', { host: problem.host, reason: t(`links.outbound.${problem.reason}`) })}
    </p>
  );
}
