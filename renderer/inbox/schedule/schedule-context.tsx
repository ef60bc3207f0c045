/**
 * The conversation's scheduled messages and the agent's reminder: the composer's "Schedule" and
 * the conversation's "Remind me" open one dialog through this, and the list of scheduled messages
 * (with Edit and Cancel while pending) reads it. The server keeps them; the feed's
 * `scheduled_message` and `reminder` events change what shows at once (one scheduled, edited or
 * cancelled on another workstation, one that went or came back, a reminder come due), and a
 * resync reads the lists again.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ReminderView, ScheduledMessageView } from '../../../common/schedule/scheduled-message.js';
import { withScheduled } from '../../../common/schedule/scheduled-order.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';
import { ScheduleDialog } from './ScheduleDialog.js';
import type { ScheduleDialogMode } from './ScheduleDialog.js';

interface ScheduleState {
  readonly scheduled: readonly ScheduledMessageView[];
  readonly reminder: ReminderView | undefined;
  open(mode: ScheduleDialogMode): void;
  refresh(): void;
}

const Schedule = createContext<ScheduleState | undefined>(undefined);

export function useSchedule(): ScheduleState | undefined {
  return useContext(Schedule);
}

export function ScheduleProvider({ conversationId, children }: { readonly conversationId: number; readonly children: ReactNode }) {
  const [scheduled, setScheduled] = useState<readonly ScheduledMessageView[]>([]);
  const [reminder, setReminder] = useState<ReminderView | undefined>(undefined);
  const [mode, setMode] = useState<ScheduleDialogMode | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    void Promise.all([settle(window.sportello.listScheduledMessages({ conversationId })), settle(window.sportello.listReminders({ conversationId }))]).then(
      ([list, reminders]) => {
        if (!current) return;
        setScheduled(list.ok ? list.value.items : []);
        setReminder(reminders.ok ? reminders.value.items[0] : undefined);
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  useInboxEvents((event) => {
    if (event.type === 'resync') refresh();
    else if (event.type === 'scheduled_message' && event.scheduled.conversationId === conversationId)
      setScheduled((items) => withScheduled(items, event.scheduled));
    else if (event.type === 'reminder' && event.reminder.conversationId === conversationId) setReminder(event.reminder);
  });
  const value = useMemo(() => ({ scheduled, reminder, open: setMode, refresh }), [scheduled, reminder, refresh]);
  return (
    <Schedule.Provider value={value}>
      {children}
      {mode === null ? null : <ScheduleDialog conversationId={conversationId} mode={mode} onDone={refresh} onClose={() => setMode(null)} />}
    </Schedule.Provider>
  );
}

/** The composer's "Schedule": the text typed so far goes into the dialog; `onScheduled` empties the composer. */
export function ScheduleButton({ text, label, onScheduled }: { readonly text: string; readonly label: string; readonly onScheduled?: () => void }) {
  const schedule = useSchedule();
  if (schedule === undefined) return null;
  return (
    <button type="button" className="button-secondary" onClick={() => schedule.open({ kind: 'new', text, onScheduled })}>
      {label}
    </button>
  );
}
