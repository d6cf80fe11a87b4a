/** The App Home tab: where the manager stands, and the buttons to change it. */
import type { HomeView, KnownBlock } from '@slack/types';
import type {
  ActionItem,
  HiddenTopic,
  Progress,
  SkippedNote,
  Subscription,
} from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { awayBlocks, awayStatusText } from './away.ts';
import { dataRightsBlocks } from './data-rights.ts';
import { confirmed } from './elements.ts';
import { describeSchedule, formatInstant } from './format.ts';
import { hiddenTopicsBlocks } from './hidden-topics.ts';
import { holidayBlocks, skippedNotesBlocks } from './holidays.ts';
import { languageBlocks } from './language.ts';
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
function unsubscribeButton(voice: Voice) {
  return confirmed(button(voice.t('home.unsubscribe.button'), HOME_ACTIONS.unsubscribe, 'danger'), {
    title: voice.t('home.unsubscribe.title'),
    text: voice.t('home.unsubscribe.text'),
    confirm: voice.t('home.unsubscribe.confirm'),
    deny: voice.t('home.unsubscribe.deny'),
  });
}

function pausedWhy(reason: string | null, voice: Voice): string {
  if (!reason) return voice.t('home.paused.plain');
  if (reason === 'workspace_inactive') return voice.t('home.paused.workspaceInactive');
  if (reason.startsWith('slack:')) return voice.t('home.paused.slack');
  if (reason === 'admin_request') return voice.t('home.paused.admin');
  // The bot records where the manager paused ("paused from the Home tab"): no need to say it back.
  if (reason.startsWith('paused ')) return voice.t('home.paused.byYou');
  return voice.t('home.paused.other', { reason });
}

/**
 * "What your admins can see", as docs/user-guide/README.md's Privacy section says it: the
 * analytics API suppresses every group below k managers (ANALYTICS_MIN_GROUP, 5 unless set,
 * never below 3), and no admin route returns what a manager wrote.
 */
function adminsCanSee(voice: Voice): KnownBlock[] {
  return [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: voice.t('home.adminsCanSee') } },
  ];
}

/**
 * What the Home tab shows besides the subscription: the open actions (a page of them), the
 * progress, hidden topics to restore, an item just deleted, to undo, and the notes skipped on
 * purpose (away, public holidays).
 */
export interface HomeContent {
  openItems?: readonly ActionItem[];
  progress?: Progress;
  itemsPage?: number;
  hiddenTopics?: readonly HiddenTopic[];
  skippedNotes?: readonly SkippedNote[];
  deleted?: Pick<ActionItem, 'id' | 'text'>;
}

export function buildHome(
  subscription: Subscription | undefined,
  voice: Voice,
  content: HomeContent = {},
): HomeView {
  const { openItems = [], progress, itemsPage = 0 } = content;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Blindspot' } },
  ];
  if (!subscription || subscription.status === 'unsubscribed') {
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: subscription ? voice.t('home.unsubscribed') : voice.t('home.intro'),
        },
      },
      {
        type: 'actions',
        elements: [button(voice.t('home.signUp'), HOME_ACTIONS.signUp, 'primary')],
      },
      ...adminsCanSee(voice),
    );
    // Unsubscribed is not forgotten: what they wrote is still held, theirs to take or delete.
    if (subscription) blocks.push({ type: 'divider' }, ...dataRightsBlocks(voice));
    return { type: 'home', blocks };
  }
  const schedule = describeSchedule(subscription, voice);
  if (subscription.status === 'active') {
    const next = subscription.nextDeliveryAt
      ? formatInstant(subscription.nextDeliveryAt, subscription.timeZone, voice)
      : voice.t('home.nextBeingPlanned');
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: voice.t('home.signedUp', { schedule, next }) },
      },
      {
        type: 'actions',
        elements: [
          button(voice.t('home.changeSchedule'), HOME_ACTIONS.changeSchedule),
          button(voice.t('home.pause'), HOME_ACTIONS.pause),
          unsubscribeButton(voice),
        ],
      },
    );
  } else {
    const status = subscription.pausedUntil
      ? awayStatusText(subscription.pausedUntil, voice)
      : pausedWhy(subscription.statusReason, voice);
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: voice.t('home.withSchedule', { status, schedule }) },
      },
      {
        type: 'actions',
        elements: [
          button(voice.t('home.resume'), HOME_ACTIONS.resume, 'primary'),
          button(voice.t('home.changeSchedule'), HOME_ACTIONS.changeSchedule),
          unsubscribeButton(voice),
        ],
      },
    );
  }
  blocks.push(
    // Away, public holidays and the notes skipped for them (issue 18, item 3).
    ...awayBlocks(subscription, voice),
    ...holidayBlocks(subscription, voice),
    ...languageBlocks(subscription, voice),
    ...skippedNotesBlocks(content.skippedNotes ?? [], voice),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: subscription.weeklyDigest ? voice.t('home.digest.on') : voice.t('home.digest.off'),
      },
      accessory: subscription.weeklyDigest
        ? button(voice.t('home.digest.turnOff'), DIGEST_ACTIONS.off)
        : button(voice.t('home.digest.turnOn'), DIGEST_ACTIONS.on),
    },
    { type: 'divider' },
    ...openItemBlocks(openItems, { page: itemsPage, deleted: content.deleted, voice }),
    ...(progress ? [{ type: 'divider' } as const, ...progressBlocks(progress, voice)] : []),
    ...hiddenTopicsBlocks(content.hiddenTopics ?? []),
    { type: 'divider' },
    ...dataRightsBlocks(voice),
  );
  blocks.push(...adminsCanSee(voice));
  return { type: 'home', blocks };
}
