/**
 * Block and Unblock in the conversation's header: any agent who may see it blocks its customer
 * (a dialog asks the reason); a supervisor unblocks (the server checks they supervise its team).
 * A refusal is shown beside the button.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { customerName } from '../conversations/conversation-list-state.js';
import { BlockDialog } from './BlockDialog.js';

interface BlockControlsProps {
  readonly conversation: ConversationSummary;
  /** The signed-in agent holds `supervisor`. */
  readonly supervisor: boolean;
  readonly onChanged: (conversation: ConversationSummary) => void;
}

export function BlockControls({ conversation, supervisor, onChanged }: BlockControlsProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const conversationId = conversation.id;
  const block = useAction(
    (reason: string) => window.sportello.blockCustomer({ conversationId, reason }),
    (changed) => {
      setAsking(false);
      onChanged(changed);
    },
  );
  const unblock = useAction(() => window.sportello.unblockCustomer({ conversationId }), onChanged);
  const blocked = conversation.block !== null;
  return (
    <div className="block-controls">
      {blocked ? (
        <span className="badge badge-blocked">{t('blocks.blocked')}</span>
      ) : (
        <button
          type="button"
          className="button-secondary"
          disabled={block.pending}
          onClick={() => {
            block.clearFailure();
            setAsking(true);
          }}
        >
          {t('blocks.block')}
        </button>
      )}
      {blocked && supervisor ? (
        <button type="button" className="button-secondary" disabled={unblock.pending} onClick={() => void unblock.run()}>
          {t('blocks.unblock')}
        </button>
      ) : null}
      <ErrorNotice problem={unblock.failure} />
      {asking ? (
        <BlockDialog
          customer={customerName(conversation)}
          pending={block.pending}
          failure={block.failure}
          onCancel={() => setAsking(false)}
          onBlock={(reason) => void block.run(reason)}
        />
      ) : null}
    </div>
  );
}
