/**
 * Every modal and App Home the bot builds (src/bot/blocks), with the sample data of
 * ./block-kit-samples.ts taking each branch of the builders: paused for each reason, empty and
 * full progress, field errors, topics at their longest. block-kit-coverage.test.ts renders them
 * all. A new view builder, or a new branch in one, belongs here.
 */

import type { HomeView, ModalView } from '@slack/types';
import { actionErrors, buildActionModal } from '../../src/bot/blocks/action-modal.ts';
import { buildEraseModal } from '../../src/bot/blocks/data-rights.ts';
import { buildHome } from '../../src/bot/blocks/home.ts';
import { buildReflectionModal } from '../../src/bot/blocks/reflection.ts';
import { buildSignupModal, signupErrors } from '../../src/bot/blocks/signup-modal.ts';
import { type Voice, voiceFor } from '../../src/bot/i18n/index.ts';
import {
  FULL_PROGRESS,
  item,
  LEANINGS,
  longest,
  MANY_ITEMS,
  NOW,
  progress,
  subscription,
  THEMES,
} from './block-kit-samples.ts';

export function modals(voice: Voice = voiceFor()): Array<{
  name: string;
  view: ModalView;
  errors?: Record<string, string>;
}> {
  const signup = buildSignupModal({
    profileTimeZone: 'Europe/Berlin',
    categories: THEMES,
    leanings: LEANINGS,
    now: NOW,
    voice,
  });
  const plan = buildActionModal({
    context: { deliveryId: 'delivery-1' },
    topicTitle: 'Recency bias',
    voice,
  });
  return [
    { name: 'sign-up, first time', view: signup },
    {
      name: 'sign-up, changing a schedule',
      view: buildSignupModal({
        subscription: subscription({
          weekdays: [2, 4],
          localTime: '07:30',
          timeZone: 'America/New_York',
          skippedCategories: ['judging-people-fairly'],
          holidays: { country: 'DE', region: 'BY', name: 'Germany: Bayern' },
        }),
        profileTimeZone: 'Europe/Berlin',
        categories: THEMES,
        leanings: LEANINGS,
        now: NOW,
        voice,
      }),
    },
    {
      name: 'sign-up, no themes to skip',
      view: buildSignupModal({ profileTimeZone: 'UTC', categories: [], now: NOW, voice }),
    },
    {
      name: 'sign-up, refused by the API',
      view: signup,
      errors: signupErrors({ weekdays: 'Pick at least one day.', timeZone: 'Unknown zone.' }),
    },
    { name: 'delete your data?', view: buildEraseModal(voice) },
    { name: 'plan an action', view: plan },
    {
      name: 'plan an action, with the topic’s actions to pick',
      view: buildActionModal({
        context: { deliveryId: 'delivery-2' },
        topicTitle: longest.topic.title,
        choices: longest.topic.actions,
        voice,
      }),
    },
    {
      name: 'plan an action, nothing picked',
      view: buildActionModal({
        context: { deliveryId: 'delivery-1' },
        choices: ['Keep a running log'],
        voice,
      }),
      errors: { action_choice: voice.t('items.modal.pickOrWrite') },
    },
    { name: 'plan an action, without a topic', view: buildActionModal({ context: {}, voice }) },
    {
      name: 'edit an action, with a note',
      view: buildActionModal({
        context: {},
        item: item({ note: 'She mentioned the roadmap' }),
        topicTitle: 'Recency bias',
        voice,
      }),
    },
    {
      name: 'plan an action, refused',
      view: plan,
      errors: actionErrors({ text: 'Too long.', note: 'Too long too.', checkBack: 'Past.' }, true),
    },
    {
      name: 'plan an action, no date picked',
      view: plan,
      errors: actionErrors({ checkBack: 'Pick the date to check back on.' }, false),
    },
    { name: 'the reflection', view: buildReflectionModal('item-1', 'response-1', 'done', voice) },
    {
      name: 'the reflection after Partly',
      view: buildReflectionModal('item-1', 'response-1', 'partly', voice),
    },
  ];
}

export function homeViews(voice: Voice = voiceFor()): Array<{ name: string; view: HomeView }> {
  const paused = (statusReason: string | null) =>
    buildHome(subscription({ status: 'paused', statusReason }), voice, {
      openItems: [item()],
      progress: progress(),
    });
  return [
    { name: 'never signed up', view: buildHome(undefined, voice) },
    { name: 'unsubscribed', view: buildHome(subscription({ status: 'unsubscribed' }), voice) },
    { name: 'active, nothing planned yet', view: buildHome(subscription(), voice) },
    {
      name: 'active in en-US, on the second page of actions',
      view: buildHome(subscription({ locale: 'en-US' }), voice, {
        openItems: MANY_ITEMS,
        progress: FULL_PROGRESS,
        itemsPage: 1,
      }),
    },
    {
      name: 'active, digest on, next note being planned, items and progress',
      view: buildHome(subscription({ weeklyDigest: true, nextDeliveryAt: null }), voice, {
        openItems: MANY_ITEMS,
        progress: FULL_PROGRESS,
      }),
    },
    { name: 'paused', view: paused(null) },
    { name: 'paused while removed', view: paused('workspace_inactive') },
    { name: 'paused by Slack', view: paused('slack:account_inactive') },
    { name: 'paused from the Home tab', view: paused('paused from the Home tab') },
    { name: 'paused for another reason', view: paused('holiday') },
    {
      name: 'away until a date, keeping Bavaria’s holidays, with notes skipped',
      view: buildHome(
        subscription({
          status: 'paused',
          statusReason: 'away from the Home tab',
          pausedUntil: '2027-01-04',
          holidays: { country: 'DE', region: 'BY', name: 'Germany: Bayern' },
        }),
        voice,
        {
          openItems: [item()],
          progress: progress(),
          skippedNotes: [
            { localDate: '2026-12-25', reason: 'holiday', holiday: 'Christmas Day' },
            { localDate: '2026-12-21', reason: 'away', holiday: null },
          ],
        },
      ),
    },
  ];
}
