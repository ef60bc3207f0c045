/**
 * Said as the agent types a message that looks like it carries a one-time code, a PIN or a
 * recovery code, when the policy holds them: why, one sentence per reason, and that nobody asks
 * for a code in a chat. Send becomes two steps: the first press (or Enter) only asks, showing
 * "Send anyway"; that explicit confirmation sends it with `confirmedCode` (the server holds it
 * otherwise, and audits the confirmation). Any edit of the text takes the confirmation back.
 */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { outboundCodeReasons } from '../../../common/codes/outbound-code-hold.js';
import type { OutgoingCodeReason } from '../../../common/codes/outgoing-codes.js';
import { useSafetyPolicy } from './safety-policy-context.js';

export interface CodeHold {
  /** Why the text is held; empty: it is not. */
  readonly reasons: readonly OutgoingCodeReason[];
  /** The agent pressed Send once on these very texts: "Send anyway" is offered. */
  readonly asked: boolean;
  /** The first press: offer "Send anyway". */
  readonly ask: () => void;
  /** The texts changed: the offer is withdrawn. */
  readonly withdraw: () => void;
}

/** `texts`: what the send carries to the customer (a reply or its caption, a template's values). */
export function useCodeHold(texts: readonly string[]): CodeHold {
  const policy = useSafetyPolicy();
  const holds = policy.codes.holdOutboundCodes;
  const written = JSON.stringify(texts);
  const reasons = useMemo(() => (holds ? outboundCodeReasons(JSON.parse(written) as string[]) : []), [holds, written]);
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const ask = useCallback(() => setAskedFor(written), [written]);
  const withdraw = useCallback(() => setAskedFor(null), []);
  // Only for what it was asked on: a text put in the box some other way (a quick reply) is asked again.
  return { reasons, asked: reasons.length > 0 && askedFor === written, ask, withdraw };
}

export function CodeHoldWarning({ hold, onConfirm, disabled }: { hold: CodeHold; onConfirm: () => void; disabled: boolean }) {
  const { t } = useTranslation();
  if (hold.reasons.length === 0) return null;
  return (
    <div className="code-hold-warning">
      <div role="alert">
        {hold.reasons.map((reason) => (
          <p key={reason}>{t(`codeHold.reason.${reason}`)}</p>
        ))}
        <p>{t('codeHold.advice')}</p>
      </div>
      {hold.asked ? (
        <button type="button" className="button-danger" onClick={onConfirm} disabled={disabled}>
          {t('codeHold.sendAnyway')}
        </button>
      ) : null}
    </div>
  );
}
