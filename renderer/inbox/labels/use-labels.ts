/**
 * The labels this agent may use (the global ones and their teams'): asked when the inbox opens,
 * after a resync or a change of view, when the conversations come back on screen (`shown`), and
 * by `reload` (the picker taking the focus), so a label a supervisor just made is offered when it
 * is wanted, not at every conversation opened; empty until answered.
 */
import { useCallback, useEffect, useState } from 'react';
import type { LabelView } from '../../../common/api/replies.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

export function useLabels(shown: boolean): { readonly labels: readonly LabelView[]; readonly reload: () => void } {
  const [labels, setLabels] = useState<readonly LabelView[]>([]);
  const load = useCallback(() => {
    void settle(window.sportello.listLabels({})).then((result) => {
      if (result.ok) setLabels(result.value.labels);
    });
  }, []);
  useEffect(() => {
    if (shown) load();
  }, [load, shown]);
  useInboxEvents((event) => {
    // A label renamed or new reaches the conversations carrying it by the feed; the list of labels is asked again then too.
    if (event.type === 'resync' || event.type === 'view_changed') load();
  });
  return { labels, reload: load };
}
