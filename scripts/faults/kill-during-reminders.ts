import { killDuringFanOut } from './kill-fan-out.ts';

/** Reminders go through the same outbox and lease protocol as notes, with their own ledger. */
export const killDuringReminders = killDuringFanOut({
  id: 'kill-during-reminders',
  title:
    'kill -9 of the all-in-one process while it sends reminders due in bulk, restarted after 5 s',
  deployment: 'all-in-one',
  victim: 'service',
  ledger: 'reminders',
  drainLimit: false,
});
