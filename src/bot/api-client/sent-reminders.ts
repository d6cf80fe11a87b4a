/**
 * The bot's calls about reminders it has sent: the one a thread reply answers (found by its
 * message), and a reminder as its message should read now, to show there an answer given
 * somewhere else (a thread reply, the Home tab).
 */
import type { components } from './schema.ts';
import type { CallContext, Transport } from './transport.ts';

export type SentReminder = components['schemas']['SentReminder'];
export type ReminderMessage = components['schemas']['ReminderMessage'];

export function sentReminderCalls({ api, unwrap, headers }: Transport) {
  return {
    async findReminderByMessage(
      context: CallContext,
      channelId: string,
      ts: string,
    ): Promise<SentReminder> {
      return unwrap(
        await api().GET('/api/v1/me/reminders/by-message', {
          params: { header: headers(context), query: { channelId, ts } },
        }),
      );
    },
    async reminderMessage(context: CallContext, reminderId: string): Promise<ReminderMessage> {
      return unwrap(
        await api().GET('/api/v1/me/reminders/{id}', {
          params: { header: headers(context), path: { id: reminderId } },
        }),
      );
    },
    /** The latest sent reminder that asked about the item; 404 when none did. */
    async latestReminderAbout(
      context: CallContext,
      actionItemId: string,
    ): Promise<ReminderMessage> {
      return unwrap(
        await api().GET('/api/v1/me/reminders/by-item', {
          params: { header: headers(context), query: { actionItemId } },
        }),
      );
    },
  };
}
