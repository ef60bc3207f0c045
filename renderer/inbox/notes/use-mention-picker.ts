/**
 * The list of colleagues that opens while a mention is typed in a note (`@an`): those who may see
 * the conversation (the server's answer), matched on the start of their username or of a word of
 * their name, accents ignored; the arrows move, Enter or Tab picks, Escape closes.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NoteAgent } from '../../../common/api/notes.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { mentionBeingTyped } from '../../../common/notes/note-text.js';
import { settle } from '../../api/use-action.js';

const SHOWN = 8;

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function matches(agent: NoteAgent, query: string): boolean {
  if (query === '') return true;
  const wanted = folded(query);
  return (
    folded(agent.username).startsWith(wanted) ||
    folded(agent.displayName)
      .split(/\s+/)
      .some((word) => word.startsWith(wanted))
  );
}

export interface MentionPicker {
  /** The names offered now; empty while no mention is being typed. */
  readonly options: readonly NoteAgent[];
  readonly active: number;
  readonly failure: IpcFailure | null;
  /** The text and caret changed: the list follows what is typed before the caret. */
  readonly follow: (text: string, caret: number) => void;
  readonly move: (by: number) => void;
  /** The text with the mention being typed replaced by `@username `, and where the caret goes. */
  readonly pick: (text: string, agent: NoteAgent) => { text: string; caret: number } | undefined;
  readonly close: () => void;
}

export function useMentionPicker(conversationId: number, selfId: number): MentionPicker {
  const [agents, setAgents] = useState<readonly NoteAgent[] | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [typing, setTyping] = useState<{ start: number; end: number; query: string } | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    setAgents(null);
    setTyping(null);
  }, [conversationId]);

  // Asked once a mention is first typed in this conversation: whom it may name can change with a hand-over, so not kept longer.
  const wanted = typing !== null && agents === null;
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    void settle(window.sportello.listMentionable({ conversationId })).then((result) => {
      if (!current) return;
      if (result.ok) {
        setAgents(result.value.agents.filter((agent) => agent.agentId !== selfId));
        setFailure(null);
      } else {
        setFailure(result);
      }
    });
    return () => {
      current = false;
    };
  }, [wanted, conversationId, selfId]);

  const options = useMemo(
    () => (typing === null || agents === null ? [] : agents.filter((agent) => matches(agent, typing.query)).slice(0, SHOWN)),
    [agents, typing],
  );

  const follow = useCallback((text: string, caret: number) => {
    const found = mentionBeingTyped(text.slice(0, caret));
    setTyping(found === undefined ? null : { start: found.start, end: caret, query: found.query });
    setActive(0);
  }, []);

  const move = useCallback((by: number) => setActive((index) => (options.length === 0 ? 0 : (index + by + options.length) % options.length)), [options.length]);

  const pick = useCallback(
    (text: string, agent: NoteAgent) => {
      if (typing === null) return undefined;
      const inserted = `@${agent.username} `;
      setTyping(null);
      return { text: text.slice(0, typing.start) + inserted + text.slice(typing.end), caret: typing.start + inserted.length };
    },
    [typing],
  );

  const close = useCallback(() => setTyping(null), []);
  return { options, active: Math.min(active, Math.max(options.length - 1, 0)), failure, follow, move, pick, close };
}
