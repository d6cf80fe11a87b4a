/**
 * Everything a manager's App Home shows, in one read: the bot draws the tab after every click,
 * and drawing it from five API calls (subscription, open items, progress, skipped notes, hidden
 * topics), each finding the manager again, was most of a click's cost (issue 19, item 4).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ActionItemRow } from '../action-items/repository.ts';
import { type HiddenTopic, hiddenTopicsFromRows } from '../deliveries/feedback.ts';
import { type SkippedNote, skippedNotesFromRows } from '../deliveries/skips.ts';
import { languageOfChoices, type ManagerLanguage, managerLanguage } from '../languages/service.ts';
import type { ManagerRow } from '../managers/repository.ts';
import { type Progress, progressFromRows, progressSince } from '../progress/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import type { SubscriptionRow } from '../subscriptions/repository.ts';
import { findManagerWithSubscription, selectHomeLists } from './repository.ts';

/** As many skipped notes as the Home tab lists. */
const HOME_SKIPPED_NOTES = 5;

export interface HomeView {
  /** Null for someone Blindspot has not met yet: the Home tab then offers to sign up. */
  manager: { row: ManagerRow; language: ManagerLanguage } | null;
  /** Null until they sign up; the rest is empty then. */
  subscription: SubscriptionRow | null;
  openItems: ActionItemRow[];
  progress: Progress | null;
  skippedNotes: SkippedNote[];
  hiddenTopics: HiddenTopic[];
}

const NOTHING = { openItems: [], progress: null, skippedNotes: [], hiddenTopics: [] };

/**
 * Two statements for a signed-up manager (three or four more only for topic titles in German
 * or French), in one transaction: one connection, one snapshot, the request's deadline set once.
 */
export async function homeOf(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
): Promise<HomeView> {
  return db.transaction().execute(async (trx) => {
    const found = await findManagerWithSubscription(trx, who.slackTeamId, who.slackUserId);
    if (!found) return { manager: null, subscription: null, ...NOTHING };
    const { manager, subscription } = found;
    if (!subscription) {
      const language = await managerLanguage(trx, manager.id);
      return { manager: { row: manager, language }, subscription: null, ...NOTHING };
    }
    // The subscription row carries the manager's language choices and holiday place.
    const language = languageOfChoices({
      chosen: subscription.chosenLanguage,
      slackLocale: subscription.locale,
      workspaceDefault: subscription.workspaceLanguage,
    });
    const since = progressSince(manager.timeZone, now);
    const lists = await selectHomeLists(
      trx,
      manager.id,
      manager.timeZone,
      since,
      HOME_SKIPPED_NOTES,
    );
    const place = subscription.holidayCountry
      ? { country: subscription.holidayCountry, region: subscription.holidayRegion }
      : undefined;
    const [progress, hiddenTopics] = await Promise.all([
      progressFromRows(trx, lists, language.language, manager.timeZone, now),
      hiddenTopicsFromRows(trx, lists.hidden, language.language),
    ]);
    return {
      manager: { row: manager, language },
      subscription,
      openItems: lists.openItems,
      progress,
      skippedNotes: skippedNotesFromRows(lists.skipped, place),
      hiddenTopics,
    };
  });
}
