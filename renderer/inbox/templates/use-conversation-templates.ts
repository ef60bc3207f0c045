/**
 * The templates a conversation may be answered with, from the server (online only), kept current
 * by main's `template` event: a template paused, disabled or re-categorised by Meta shows as such
 * at once, and the list is read again so the server's judgement follows; and after a reconnect
 * (the feed's resync), when changes may have been missed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationTemplates } from '../../../common/api/template-endpoints.js';
import type { StoredTemplate, TemplateCategory } from '../../../common/templates/template.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

/** Meta moved a template to another category while it was shown here. */
export type Recategorised = ReadonlyMap<string, { readonly from: TemplateCategory; readonly to: TemplateCategory }>;

export interface ConversationTemplatesState {
  readonly value: ConversationTemplates | null;
  readonly failure: IpcFailure | null;
  readonly recategorised: Recategorised;
}

function patched(list: ConversationTemplates, changed: StoredTemplate): ConversationTemplates {
  return { ...list, templates: list.templates.map((template) => (template.id === changed.id ? { ...template, ...changed } : template)) };
}

export function useConversationTemplates(conversationId: number): ConversationTemplatesState {
  const [value, setValue] = useState<ConversationTemplates | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [recategorised, setRecategorised] = useState<Recategorised>(new Map());
  const shown = useRef(value);
  shown.current = value;
  const load = useCallback(() => {
    void settle(window.sportello.listConversationTemplates({ conversationId })).then((result) => {
      if (result.ok) {
        setValue(result.value);
        setFailure(null);
      } else {
        setFailure(result);
      }
    });
  }, [conversationId]);
  useEffect(() => {
    setValue(null);
    setRecategorised(new Map());
    load();
  }, [load]);
  useEffect(
    () =>
      window.sportello.on('template', (changed) => {
        const held = shown.current?.templates.find((template) => template.id === changed.id);
        if (held !== undefined && held.category !== changed.category) {
          const from = held.category;
          setRecategorised((known) => new Map(known).set(changed.id, { from: known.get(changed.id)?.from ?? from, to: changed.category }));
        }
        setValue((list) => (list === null ? list : patched(list, changed)));
        load();
      }),
    [load],
  );
  useInboxEvents((event) => {
    if (event.type === 'resync') load();
  });
  return { value, failure, recategorised };
}
