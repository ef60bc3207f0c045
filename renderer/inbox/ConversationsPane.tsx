/** The conversations section: search and the filtered list (in one state; of one business number, when picked) beside the open conversation, or one of its contact's earlier conversations, and the contact panel. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { ConversationFilter, ConversationSummary } from '../../common/api/inbox.js';
import type { SignedInAgent } from '../../common/ipc/app-state.js';
import { ConversationView } from './conversation/ConversationView.js';
import type { MessageJump } from './conversation/use-message-jump.js';
import { useSelectedConversation } from './conversation/use-selected-conversation.js';
import { ConversationList } from './conversations/ConversationList.js';
import { ContactPanel } from './desk/ContactPanel.js';
import { useConversationList } from './conversations/use-conversation-list.js';
import { NumberPicker } from './numbers/NumberPicker.js';
import { LabelPicker } from './labels/LabelPicker.js';
import { useLabels } from './labels/use-labels.js';
import { useBusinessNumbers } from './numbers/use-business-numbers.js';
import { SearchPane } from './search/SearchPane.js';
import { useSearch } from './search/use-search.js';

/** Agents see their own and their teams' queues; supervisors also every conversation of the teams they supervise. */
function filtersFor(agent: SignedInAgent): readonly ConversationFilter[] {
  return agent.roles.includes('supervisor') ? ['mine', 'unassigned', 'all'] : ['mine', 'unassigned'];
}

/** `shown`: the section is on screen (it stays mounted behind the admin screens); coming back asks for the labels again. */
export function ConversationsPane({ agent, shown = true }: { agent: SignedInAgent; shown?: boolean }) {
  const { t } = useTranslation();
  const filters = filtersFor(agent);
  const [filter, setFilter] = useState<ConversationFilter>(agent.roles.includes('supervisor') ? 'all' : 'mine');
  const [state, setState] = useState<ConversationState>('open');
  const numbers = useBusinessNumbers();
  const [number, setNumber] = useState<string | undefined>(undefined);
  const showNumbers = numbers.length > 1;
  const [label, setLabel] = useState<number | undefined>(undefined);
  const list = useConversationList(filter, state, agent.id, number, label);
  const search = useSearch(number);
  const { selected, select } = useSelectedConversation();
  const labels = useLabels(shown);
  const [jump, setJump] = useState<MessageJump | null>(null);
  /** Reading one of the contact's earlier conversations: the current one, to go back to. */
  const [readingFrom, setReadingFrom] = useState<ConversationSummary | null>(null);
  const { update } = list;
  const onRead = useCallback(
    (conversation: ConversationSummary) => {
      update(conversation);
      select(conversation);
    },
    [update, select],
  );
  const open = useCallback(
    (conversation: ConversationSummary, messageId: number | null = null) => {
      setJump(messageId === null ? null : { messageId });
      setReadingFrom(null);
      select(conversation);
    },
    [select],
  );
  const openEarlier = useCallback(
    (earlier: ConversationSummary) => {
      setJump(null);
      // Reading one earlier conversation after another: the way back is still to the current one.
      setReadingFrom((from) => from ?? selected);
      select(earlier);
    },
    [select, selected],
  );
  const back = useCallback(() => {
    select(readingFrom);
    setReadingFrom(null);
  }, [select, readingFrom]);
  return (
    <div className="conversations-layout">
      <div className="conversations-sidebar">
        <NumberPicker numbers={numbers} number={number} onNumber={setNumber} />
        <LabelPicker labels={labels.labels} label={label} onLabel={setLabel} onFocus={labels.reload} />
        <SearchPane search={search} loaded={list.items} onOpen={open} />
        <ConversationList
          list={list}
          showNumbers={showNumbers}
          filters={filters}
          filter={filter}
          onFilter={setFilter}
          state={state}
          onState={setState}
          selectedId={selected?.id ?? null}
          onOpen={open}
          hidden={search.active}
          selfId={agent.id}
        />
      </div>
      {selected === null ? (
        <section className="conversation-view conversation-none">
          <p className="muted">{t('conversation.none')}</p>
        </section>
      ) : (
        <ConversationView
          key={selected.id}
          conversation={selected}
          selfId={agent.id}
          onRead={onRead}
          onOpenEarlier={openEarlier}
          readOnly={readingFrom === null ? undefined : { onBack: back }}
          jump={jump}
          showNumber={showNumbers}
          labels={labels.labels}
          supervisor={agent.roles.includes('supervisor')}
        />
      )}
      {selected === null ? null : (
        <ContactPanel
          key={`contact-${(readingFrom ?? selected).id}`}
          conversation={readingFrom ?? selected}
          shownId={selected.id}
          onOpenEarlier={openEarlier}
          onBack={back}
        />
      )}
    </div>
  );
}
