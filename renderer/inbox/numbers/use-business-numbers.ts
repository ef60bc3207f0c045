/**
 * The business numbers conversations can be on, by name: asked once when the inbox opens and
 * again after a resync. Empty until answered, or when the answer failed (the list then simply
 * offers no number filter).
 */
import { useCallback, useEffect, useState } from 'react';
import type { BusinessNumberOption } from '../../../common/api/inbox.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

export function useBusinessNumbers(): readonly BusinessNumberOption[] {
  const [numbers, setNumbers] = useState<readonly BusinessNumberOption[]>([]);
  const load = useCallback(() => {
    void settle(window.sportello.listBusinessNumbers({})).then((result) => {
      if (result.ok) setNumbers(result.value.numbers);
    });
  }, []);
  useEffect(load, [load]);
  useInboxEvents((event) => {
    if (event.type === 'resync') load();
  });
  return numbers;
}
