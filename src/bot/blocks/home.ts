/** The App Home tab: where the manager stands, and the buttons to change it. */
import type { HomeView, KnownBlock } from '@slack/types';
import type {
  ActionItem,
  HiddenTopic,
  Progress,
  SkippedNote,
  Subscription,
} from '../api-client/index.ts';
import { voiceFor } from '../i18n/index.ts';
import { awayBlocks, awayStatusText } from './away.ts';
import { dataRightsBlocks } from './data-rights.ts';
import { confirmed } from './elements.ts';
import { describeSchedule, formatInstant } from './format.ts';
import { hiddenTopicsBlocks } from './hidden-topics.ts';
import { holidayBlocks, skippedNotesBlocks } from './holidays.ts';
import { openItemBlocks } from './open-items.ts';
import { DIGEST_ACTIONS, progressBlocks } from './reminders.ts';

export const HOME_ACTIONS = {
  signUp: 'home_sign_up',
  changeSchedule: 'home_change_schedule',
  pause: 'home_pause',
  resume: 'home_resume',
  unsubscribe: 'home_unsubscribe',
} as const;

function button(text: string, actionId: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text },
    action_id: actionId,
    ...(style && { style }),
  };
}

/** Unsubscribe, active or paused: final, so Slack asks first. */
function unsubscribeButton() {
  return confirmed(button('Unsubscribe', HOME_ACTIONS.unsubscribe, 'danger'), {
    title: 'Unsubscribe?',
    text: 'You will get no more notes. You can sign up again any time.',
    confirm: 'Unsubscribe',
    deny: 'Keep them coming',
  });
}

function pausedWhy(reason: string | null): string {
  if (!reason) return 'Paused.';
  if (reason === 'workspace_inactive')
    return 'Paused while Blindspot was removed from this workspace.';
  if (reason.startsWith('slack:')) return 'Paused because Slack could not deliver your messages.';
  if (reason === 'admin_request') return 'Paused by a workspace admin, as you asked.';
  // The bot records where the manager paused ("paused from the Home tab"): no need to say it back.
  if (reason.startsWith('paused ')) return 'You paused your notes.';
  return `Paused (${reason}).`;
}

/**
 * "What your admins can see", as docs/user-guide/README.md's Privacy section says it: the
 * analytics API suppresses every group below k managers (ANALYTICS_MIN_GROUP, 5 unless set,
 * never below 3), and no admin route returns what a manager wrote.
 */
export const ADMINS_CAN_SEE_TEXT =
  '*What your admins can see*\n' +
  '• Whether you are signed up, paused or unsubscribed, your days and time, and when a note last reached you.\n' +
  '• Totals across managers, for the workspace or a team (a Slack user group), such as how many planned an action. A group of fewer than k managers (k is set by whoever runs Blindspot: 5 unless changed, never below 3) is shown only as "fewer than k", so no number points to you.\n' +
  '• Never your action items, your answers to reminders or your reflections: those are yours alone.';

function adminsCanSee(): KnownBlock[] {
  return [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: ADMINS_CAN_SEE_TEXT } },
  ];
}

/**
 * More the Home tab can show: hidden topics to restore, an item just deleted, to undo, and the
 * notes skipped on purpose (away, public holidays).
 */
export interface HomeExtras {
  hiddenTopics?: readonly HiddenTopic[];
  skippedNotes?: readonly SkippedNote[];
  deleted?: Pick<ActionItem, 'id' | 'text'>;
}

export function buildHome(
  subscription: Subscription | undefined,
  openItems: readonly ActionItem[] = [],
  progress?: Progress,
  itemsPage = 0,
  extras: HomeExtras = {},
): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Blindspot' } },
  ];
  if (!subscription || subscription.status === 'unsubscribed') {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: subscription
            ? 'You are unsubscribed. Sign up again whenever you like.'
            : 'Every manager has blind spots: habits and biases the people around them notice and they rarely do. Blindspot sends you one short note about one of them, on the days you choose, with a question to think about.',
        },
      },
      { type: 'actions', elements: [button('Sign up', HOME_ACTIONS.signUp, 'primary')] },
      ...adminsCanSee(),
    );
    // Unsubscribed is not forgotten: what they wrote is still held, theirs to take or delete.
    if (subscription) blocks.push({ type: 'divider' }, ...dataRightsBlocks());
    return { type: 'home', blocks };
  }
  const { locale } = subscription;
  const schedule = describeSchedule(subscription, locale);
  if (subscription.status === 'active') {
    const next = subscription.nextDeliveryAt
      ? formatInstant(subscription.nextDeliveryAt, subscription.timeZone, locale)
      : 'being planned';
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*You are signed up:* ${schedule}.\n*Next note:* ${next}.` },
      },
      {
        type: 'actions',
        elements: [
          button('Change schedule', HOME_ACTIONS.changeSchedule),
          button('Pause', HOME_ACTIONS.pause),
          unsubscribeButton(),
        ],
      },
    );
  } else {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: subscription.pausedUntil
            ? `*${awayStatusText(subscription.pausedUntil, locale)}* Your schedule: ${schedule}.`
            : `*${pausedWhy(subscription.statusReason)}* Your schedule: ${schedule}.`,
        },
      },
      {
        type: 'actions',
        elements: [
          button('Resume', HOME_ACTIONS.resume, 'primary'),
          button('Change schedule', HOME_ACTIONS.changeSchedule),
          unsubscribeButton(),
        ],
      },
    );
  }
  blocks.push(
    // Away, public holidays and the notes skipped for them (issue 18, item 3).
    ...awayBlocks(subscription),
    ...holidayBlocks(subscription),
    ...skippedNotesBlocks(extras.skippedNotes ?? [], locale),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: subscription.weeklyDigest
          ? '*Weekly digest:* on. Each Monday, a summary of your last week.'
          : '*Weekly digest:* off. Turn it on for a Monday summary of your last week.',
      },
      accessory: subscription.weeklyDigest
        ? button('Turn off', DIGEST_ACTIONS.off)
        : button('Turn on', DIGEST_ACTIONS.on),
    },
    { type: 'divider' },
    ...openItemBlocks(openItems, {
      page: itemsPage,
      deleted: extras.deleted,
      voice: voiceFor({ locale }),
    }),
    ...(progress
      ? [{ type: 'divider' } as const, ...progressBlocks(progress, voiceFor({ locale }))]
      : []),
    ...hiddenTopicsBlocks(extras.hiddenTopics ?? []),
    { type: 'divider' },
    ...dataRightsBlocks(),
  );
  blocks.push(...adminsCanSee());
  return { type: 'home', blocks };
}
