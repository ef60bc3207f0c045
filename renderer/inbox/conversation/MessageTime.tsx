/**
 * When a message was written: the time today, the date and time before. It follows the date (and
 * the language) on its own, so the bubble around it need not re-render for the clock.
 */
import { memo } from 'react';
import { useTimeFormat } from '../../components/use-time-format.js';
import { useToday } from '../../components/use-today.js';

export const MessageTime = memo(function MessageTime({ at }: { at: number }) {
  const time = useTimeFormat();
  const today = useToday();
  return <time dateTime={new Date(at).toISOString()}>{time.moment(at, today)}</time>;
});
