import { useCallback, useRef } from 'react';

/**
 * The clientMessageId of the message being sent: made once per message, so a retry after a
 * failure sends the same key and the server sends it at most once. A changed message is a new
 * message (the server refuses a key reused for different content), and a sent one is done.
 */
export function useIdempotencyKey() {
  const attempt = useRef<{ readonly content: string; readonly key: string } | null>(null);
  const keyFor = useCallback((content: string): string => {
    if (attempt.current?.content !== content) attempt.current = { content, key: crypto.randomUUID() };
    return attempt.current.key;
  }, []);
  const sent = useCallback(() => {
    attempt.current = null;
  }, []);
  return { keyFor, sent };
}
