/**
 * The quick replies offered while `/` and a few letters are typed in the composer (at the start of
 * the text or after a space): the agent's replies (global and their teams'), matched on the
 * shortcut's start or anywhere in the text, accents ignored, each in the interface's language
 * (else the other) with its variables filled in from the conversation (common/replies). The
 * arrows move, Enter or Tab inserts, Escape closes.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyLanguage } from '../../../common/api/replies.js';
import { replyTextFor } from '../../../common/api/replies.js';
import type { QuickReplyView } from '../../../common/api/replies.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { fillReply } from '../../../common/replies/reply-variables.js';
import type { ReplyContext } from '../../../common/replies/reply-variables.js';
import { settle } from '../../api/use-action.js';

const SHOWN = 8;
// `/` at the start or after white space, then the letters typed so far, up to the caret.
const TYPED = /(?:^|\s)\/([\p{L}\p{N}_-]{0,32})$/u;

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A reply as the picker offers it: its shortcut and the text it inserts, filled in. */
export interface OfferedReply {
  readonly id: number;
  readonly shortcut: string;
  readonly text: string;
}

export interface QuickReplyPicker {
  readonly options: readonly OfferedReply[];
  readonly active: number;
  readonly failure: IpcFailure | null;
  readonly follow: (text: string, caret: number) => void;
  readonly move: (by: number) => void;
  /** The text with `/shortcut` replaced by the reply, and where the caret goes. */
  readonly pick: (text: string, reply: OfferedReply) => { text: string; caret: number } | undefined;
  readonly close: () => void;
}

export function useQuickReplyPicker(context: ReplyContext): QuickReplyPicker {
  const { i18n } = useTranslation();
  const language: ReplyLanguage = i18n.language.startsWith('it') ? 'it' : 'en';
  const [replies, setReplies] = useState<readonly QuickReplyView[] | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [typing, setTyping] = useState<{ start: number; end: number; query: string } | null>(null);
  const [active, setActive] = useState(0);

  // Forgotten when the list closes and asked again as the next `/` is typed, so a reply a supervisor just added is there.
  const closed = typing === null;
  useEffect(() => {
    if (closed) setReplies(null);
  }, [closed]);
  const asking = !closed && replies === null;
  useEffect(() => {
    if (!asking) return;
    let current = true;
    void settle(window.sportello.listQuickReplies({})).then((result) => {
      if (!current) return;
      if (result.ok) {
        setReplies(result.value.replies);
        setFailure(null);
      } else {
        setFailure(result);
      }
    });
    return () => {
      current = false;
    };
  }, [asking]);

  const { customerName, agentName, teamName, businessName } = context;
  const options = useMemo(() => {
    if (typing === null || replies === null) return [];
    const wanted = folded(typing.query);
    const filled = replies.map((reply) => ({
      id: reply.id,
      shortcut: reply.shortcut,
      text: fillReply(replyTextFor(reply.texts, language), { customerName, agentName, teamName, businessName }),
    }));
    const byShortcut = filled.filter((reply) => folded(reply.shortcut).startsWith(wanted));
    const byText = wanted === '' ? [] : filled.filter((reply) => !byShortcut.includes(reply) && folded(reply.text).includes(wanted));
    return [...byShortcut, ...byText].slice(0, SHOWN);
  }, [replies, typing, language, customerName, agentName, teamName, businessName]);

  const follow = useCallback((text: string, caret: number) => {
    const found = TYPED.exec(text.slice(0, caret));
    if (found === null) {
      setTyping(null);
      return;
    }
    const query = found[1] ?? '';
    setTyping({ start: caret - query.length - 1, end: caret, query });
    setActive(0);
  }, []);

  const move = useCallback((by: number) => setActive((index) => (options.length === 0 ? 0 : (index + by + options.length) % options.length)), [options.length]);

  const pick = useCallback(
    (text: string, reply: OfferedReply) => {
      if (typing === null) return undefined;
      setTyping(null);
      return { text: text.slice(0, typing.start) + reply.text + text.slice(typing.end), caret: typing.start + reply.text.length };
    },
    [typing],
  );

  const close = useCallback(() => setTyping(null), []);
  return { options, active: Math.min(active, Math.max(options.length - 1, 0)), failure, follow, move, pick, close };
}
