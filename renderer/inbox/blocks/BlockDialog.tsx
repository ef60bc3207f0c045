/** Asks why the customer is blocked (3–500 characters): the agent's words, kept with the block and in the audit log. */
import { useTranslation } from 'react-i18next';
import { BLOCK_REASON_MAX, BLOCK_REASON_MIN } from '../../../common/api/blocks.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { ReasonDialog } from '../../components/ReasonDialog.js';

interface BlockDialogProps {
  readonly customer: string;
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly onBlock: (reason: string) => void;
  readonly onCancel: () => void;
}

export function BlockDialog({ customer, pending, failure, onBlock, onCancel }: BlockDialogProps) {
  const { t } = useTranslation();
  return (
    <ReasonDialog
      words={{
        title: t('blocks.dialogTitle', { customer }),
        explain: t('blocks.explain'),
        confirm: t('blocks.confirm'),
        reasonLabel: t('blocks.reasonLabel'),
        reasonPlaceholder: t('blocks.reasonPlaceholder'),
        reasonTooShort: t('blocks.reasonTooShort', { min: BLOCK_REASON_MIN }),
      }}
      min={BLOCK_REASON_MIN}
      max={BLOCK_REASON_MAX}
      multiline
      destructive
      pending={pending}
      failure={failure}
      onConfirm={onBlock}
      onCancel={onCancel}
    />
  );
}
