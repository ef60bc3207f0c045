/**
 * The banner on a customer's message that asks for a code, a PIN or a password, says a code was
 * sent, or claims to be WhatsApp's, Meta's or Sportello's support (common/codes/code-requests.ts):
 * nobody of them ever asks for a code in a chat, and none is to be shared. Shown while the policy
 * warns of them (`codes.warnInboundCodeRequests`); the server counts each one.
 */
import { useTranslation } from 'react-i18next';
import type { CodeRequestReason } from '../../../common/codes/code-requests.js';

export function CodeRequestWarning({ reasons }: { reasons: readonly CodeRequestReason[] }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return null;
  return (
    <div className="code-request-warning" role="note">
      <p className="code-request-warning-title">{t('codes.inboundWarning')}</p>
      <ul>
        {reasons.map((reason) => (
          <li key={reason}>{t(`codes.reason.${reason}`)}</li>
        ))}
      </ul>
    </div>
  );
}
