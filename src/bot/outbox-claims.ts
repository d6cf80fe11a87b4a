/**
 * What the outbox sends (./outbox.ts): the messages it claims from the API's two ledgers, each
 * with how to compose it in its reader's language and where to report back.
 */
import type { MessageMetadata } from '@slack/types';
import type { ApiClient, ConfirmationStatus, FailureReport } from './api-client/index.ts';
import { buildWelcomeBackMessage } from './blocks/away.ts';
import { buildDigestMessage, buildReminderMessage } from './blocks/reminders.ts';
import type { TopicNoteBuilder } from './blocks/topic-note-templates.ts';
import { voiceFor } from './i18n/index.ts';
import type { ConfirmationBatcher } from './outbox-confirmations.ts';

/** Something to send: a topic note, a reminder, or a digest, with where to report back. */
export interface OutboxMessage {
  kind: 'delivery' | 'reminder';
  id: string;
  attempt: number;
  /** The Slack workspace: Slack's rate limits are counted per workspace. */
  teamId: string;
  /** When it was due: a message a sender posted for it is no older (bar clock skew). */
  dueAt: string;
  /** The DM channel id, or the user id while the DM is not known yet. */
  channel: string;
  /** A note's manager whose Slack status the API does not know: read before posting. */
  statusOf?: string;
  compose: () => { text: string; blocks: unknown[]; metadata: MessageMetadata };
  confirm: (sent: {
    attempt: number;
    channelId: string;
    ts: string;
  }) => Promise<ConfirmationStatus>;
  report: (failure: FailureReport) => Promise<{ status: string }>;
}

/** The two queues the outbox works through, each claimed from the API under a lease. */
export async function claimMessages(
  api: ApiClient,
  confirmations: { deliveries: ConfirmationBatcher; reminders: ConfirmationBatcher },
  limit: number,
  leaseSeconds: number,
  /** Builds each new note: the same for every manager given a topic, bar the delivery's id. */
  noteFor: TopicNoteBuilder,
): Promise<OutboxMessage[]> {
  const [deliveries, reminders] = await Promise.all([
    api.claimDeliveries(limit, leaseSeconds),
    api.claimReminders(limit, leaseSeconds),
  ]);
  return [
    ...deliveries.map(
      (d): OutboxMessage => ({
        kind: 'delivery',
        id: d.id,
        attempt: d.attempt,
        teamId: d.slackTeamId,
        dueAt: d.dueAt,
        channel: d.dmChannelId ?? d.slackUserId,
        // Known to the API (kept, fresh, not out): no Slack read (issue 19, items 1–2).
        statusOf: d.statusKnown ? undefined : d.slackUserId,
        // In the manager's language and locale, which the claimed note carries.
        compose: () => noteFor(d, voiceFor(d)),
        confirm: (sent) => confirmations.deliveries.confirm({ id: d.id, ...sent }),
        report: (failure) => api.reportDeliveryFailure(d.id, failure),
      }),
    ),
    ...reminders.map(
      (r): OutboxMessage => ({
        kind: 'reminder',
        id: r.id,
        attempt: r.attempt,
        teamId: r.slackTeamId,
        dueAt: r.dueAt,
        channel: r.dmChannelId ?? r.slackUserId,
        compose: () =>
          r.kind === 'welcome_back'
            ? buildWelcomeBackMessage(r.id, voiceFor(r))
            : r.digest
              ? buildDigestMessage(r.digest, r.id, r)
              : buildReminderMessage(r),
        confirm: (sent) => confirmations.reminders.confirm({ id: r.id, ...sent }),
        report: (failure) => api.reportReminderFailure(r.id, failure),
      }),
    ),
  ];
}
