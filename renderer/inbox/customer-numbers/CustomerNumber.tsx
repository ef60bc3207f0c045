/**
 * The customer's number as the server gave it: masked (`+39 347 ••• ••01`) when the policy masks
 * numbers for this agent, with "Reveal" beside it. Revealing asks why (3–200 characters, kept in
 * the audit log, never the number); the number then shows here until the conversation changes,
 * and is kept nowhere else (not in the list, not in the cache).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../../../common/api/customer-numbers.js';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { ReasonDialog } from '../../components/ReasonDialog.js';

/** The number to show: a masked one as it came, a full one in international form. */
export function shownNumber(customer: ConversationSummary['customer']): string | null {
  if (customer.phone === null) return null;
  return customer.phoneMasked === true ? customer.phone : `+${customer.phone}`;
}

interface CustomerNumberProps {
  readonly conversation: ConversationSummary;
  /** Shown when the customer has no number. */
  readonly fallback?: string;
}

export function CustomerNumber({ conversation, fallback }: CustomerNumberProps) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const conversationId = conversation.id;
  useEffect(() => setRevealed(null), [conversationId]);
  const reveal = useAction(
    (reason: string) => window.sportello.revealCustomerNumber({ conversationId, reason }),
    (answer) => {
      setAsking(false);
      if (answer.conversationId === conversationId) setRevealed(`+${answer.phone}`);
    },
  );
  const shown = revealed ?? shownNumber(conversation.customer);
  if (shown === null) return fallback === undefined ? null : <span className="customer-number">{fallback}</span>;
  const masked = revealed === null && conversation.customer.phoneMasked === true;
  return (
    <span className="customer-number">
      <span title={masked ? t('customerNumbers.maskedHint') : undefined}>{shown}</span>
      {masked ? (
        <button
          type="button"
          className="button-link"
          onClick={() => {
            reveal.clearFailure();
            setAsking(true);
          }}
        >
          {t('customerNumbers.reveal')}
        </button>
      ) : null}
      {asking ? (
        <RevealDialog pending={reveal.pending} failure={reveal.failure} onCancel={() => setAsking(false)} onReveal={(reason) => void reveal.run(reason)} />
      ) : null}
    </span>
  );
}

interface RevealDialogProps {
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly onReveal: (reason: string) => void;
  readonly onCancel: () => void;
}

function RevealDialog({ pending, failure, onReveal, onCancel }: RevealDialogProps) {
  const { t } = useTranslation();
  return (
    <ReasonDialog
      words={{
        title: t('customerNumbers.dialogTitle'),
        explain: t('customerNumbers.explain'),
        confirm: t('customerNumbers.confirm'),
        reasonLabel: t('customerNumbers.reasonLabel'),
        reasonPlaceholder: t('customerNumbers.reasonPlaceholder'),
        reasonTooShort: t('customerNumbers.reasonTooShort', { min: REVEAL_REASON_MIN }),
      }}
      min={REVEAL_REASON_MIN}
      max={REVEAL_REASON_MAX}
      pending={pending}
      failure={failure}
      onConfirm={onReveal}
      onCancel={onCancel}
    />
  );
}
