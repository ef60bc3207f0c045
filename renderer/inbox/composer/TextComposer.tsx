/**
 * Free-form messages while the 24-hour window is open: text (Enter sends, Shift+Enter breaks the
 * line), or a file main picks and uploads, with an optional caption. `/` opens the quick replies
 * (a combobox: the arrows move, Enter or Tab inserts the reply filled in, Escape closes).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../common/ipc/contract.js';
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH } from '../../../common/messages/send-request.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { pickerKey, usePickedText } from '../../components/text-picker.js';
import { formatBytes } from '../conversation/format-bytes.js';
import type { SendDraft } from './use-send.js';
import { useLocale } from '../../i18n/use-locale.js';
import { reportTyping } from '../presence/use-conversation-presence.js';
import type { ReplyContext } from '../../../common/replies/reply-variables.js';
import { QuickReplyList, quickReplyOptionId } from '../replies/QuickReplyList.js';
import { useQuickReplyPicker } from '../replies/use-quick-reply-picker.js';
import { CardNumberWarning, useCardNumberBlock } from '../safety/CardNumberWarning.js';
import { RequestPaymentButton } from '../payments/payment-request-context.js';
import { ScheduleButton } from '../schedule/schedule-context.js';
import { CodeHoldWarning, useCodeHold } from '../safety/CodeHoldWarning.js';
import { OutboundLinkWarning, useOutboundLinkProblem } from '../safety/OutboundLinkWarning.js';
import type { OfferedReply } from '../replies/use-quick-reply-picker.js';
import { PurposePrompt } from '../personal-data/PurposePrompt.js';
import { RequestPersonalData } from '../personal-data/RequestPersonalData.js';
import { NO_PURPOSE, usePersonalDataAsk } from '../personal-data/use-personal-data-ask.js';

interface TextComposerProps {
  readonly conversationId: number;
  readonly send: SendDraft;
  readonly pending: boolean;
  /** What a quick reply's variables are filled from. */
  readonly replyContext: ReplyContext;
  readonly suggestion?: Suggestion | null;
}

/** A text offered for the reply; `offer` counts the offers, so the same text offered again fills the box again. */
export interface Suggestion {
  readonly text: string;
  readonly offer: number;
}

function AttachmentChip({ attachment, onRemove }: { attachment: Attachment; onRemove: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="attachment-chip">
      <span className="file-kind">{t(`messageType.${attachment.kind}`)}</span>
      <span className="file-name">{attachment.filename}</span>
      <span className="file-meta">{formatBytes(attachment.size, locale)}</span>
      <button type="button" className="button-link" onClick={onRemove}>
        {t('composer.removeAttachment')}
      </button>
    </div>
  );
}

export function TextComposer({ conversationId, send, pending, replyContext, suggestion = null }: TextComposerProps) {
  const { t } = useTranslation();
  const textId = useId();
  const listId = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const { text, setText, replace } = usePickedText(box);
  useEffect(() => {
    if (suggestion === null) return;
    setText(suggestion.text);
    box.current?.focus();
  }, [suggestion, setText]);
  const picker = useQuickReplyPicker(replyContext);
  const open = picker.options.length > 0;
  const choose = (reply: OfferedReply) => {
    const picked = picker.pick(text, reply);
    if (picked !== undefined) replace(picked);
  };
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const cardBlocked = useCardNumberBlock(text);
  const codeHold = useCodeHold([text]);
  const linkProblem = useOutboundLinkProblem(text);
  const personalData = usePersonalDataAsk(text);
  const held = cardBlocked || linkProblem !== undefined || personalData.missing;
  const pick = useAction(
    () => window.sportello.pickAttachment({ conversationId }),
    (picked) => {
      if (picked !== null) setAttachment(picked);
    },
  );

  /** `confirmed`: the agent pressed "Send anyway" on a text that looks like it carries a code. */
  const submit = async (confirmed = false) => {
    if (held) return;
    const codeHeld = codeHold.reasons.length > 0;
    if (codeHeld && !confirmed) {
      codeHold.ask();
      return;
    }
    const confirmation = {
      ...(codeHeld ? { confirmedCode: true } : {}),
      ...(personalData.purpose === undefined ? {} : { personalDataPurpose: personalData.purpose }),
    };
    const sent = () => {
      setText('');
      personalData.choose(NO_PURPOSE);
    };
    if (attachment !== null) {
      const caption = text.trim();
      if (await send({ kind: 'media', conversationId, attachmentId: attachment.attachmentId, ...(caption === '' ? {} : { caption }), ...confirmation })) {
        setAttachment(null);
        sent();
      }
      return;
    }
    if (text.trim() === '') return;
    if (await send({ kind: 'text', conversationId, text, ...confirmation })) sent();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerKey(event, picker, choose)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      {attachment === null ? null : <AttachmentChip attachment={attachment} onRemove={() => setAttachment(null)} />}
      <ErrorNotice problem={pick.failure ?? picker.failure} />
      <CardNumberWarning blocked={cardBlocked} />
      <OutboundLinkWarning problem={linkProblem} />
      <CodeHoldWarning hold={codeHold} onConfirm={() => void submit(true)} disabled={pending || held} />
      <PurposePrompt ask={personalData} />
      <RequestPersonalData
        disabled={pending}
        onCompose={(request, choice) => {
          setText(request);
          personalData.choose(choice);
          codeHold.withdraw();
          box.current?.focus();
        }}
      />
      <div className="composer-row">
        <label htmlFor={textId} className="visually-hidden">
          {attachment === null ? t('composer.messageLabel') : t('composer.captionLabel')}
        </label>
        <div className="mention-anchor composer-text-anchor">
          <textarea
            id={textId}
            ref={box}
            className="composer-text"
            value={text}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={
              open && picker.options[picker.active] !== undefined ? quickReplyOptionId(listId, picker.options[picker.active] as OfferedReply) : undefined
            }
            onChange={(event) => {
              setText(event.target.value);
              codeHold.withdraw();
              picker.follow(event.target.value, event.target.selectionStart);
              if (event.target.value !== '') reportTyping(conversationId);
            }}
            onSelect={(event) => picker.follow(event.currentTarget.value, event.currentTarget.selectionStart)}
            onBlur={() => picker.close()}
            onKeyDown={onKeyDown}
            rows={2}
            maxLength={attachment === null ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH}
            placeholder={attachment === null ? t('composer.placeholder') : t('composer.captionPlaceholder')}
          />
          <QuickReplyList id={listId} options={picker.options} active={picker.active} onPick={choose} />
        </div>
        <button type="button" className="button-secondary" onClick={() => void pick.run()} disabled={pick.pending || attachment !== null}>
          {t('composer.attach')}
        </button>
        <RequestPaymentButton label={t('payments.request')} />
        <ScheduleButton text={text} label={t('schedule.schedule')} onScheduled={() => setText('')} />
        <button type="submit" className="button-primary" disabled={pending || held}>
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
