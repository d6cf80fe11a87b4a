/**
 * Everything a manager's App Home shows, in one read: the bot draws the tab after every click,
 * and drawing it from five API calls (subscription, open items, progress, skipped notes, hidden
 * topics), each finding the manager again, was most of a click's cost (issue 19, item 4).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type ActionItemRow, listActionItemsOf } from '../action-items/repository.ts';
import { type HiddenTopic, hiddenTopicsOf } from '../deliveries/feedback.ts';
import { type SkippedNote, skippedNotesOf } from '../deliveries/skips.ts';
import { languageOfChoices, type ManagerLanguage, managerLanguage } from '../languages/service.ts';
import { findManager, type ManagerRow } from '../managers/repository.ts';
import { type Progress, progressOfManager } from '../progress/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import { findSubscriptionOfManager, type SubscriptionRow } from '../subscriptions/repository.ts';

/** As many skipped notes as the Home tab lists. */
export const HOME_SKIPPED_NOTES = 5;

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

export async function homeOf(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
): Promise<HomeView> {
  // One connection and one snapshot for all of it: the statements queue on the connection
  // rather than each taking one of the pool's (and paying for the request's deadline apiece).
  return db.transaction().execute(async (trx) => {
    const manager = await findManager(trx, who.slackTeamId, who.slackUserId);
    if (!manager) return { manager: null, subscription: null, ...NOTHING };
    const subscription = await findSubscriptionOfManager(trx, manager.id);
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
    const [openItems, progress, skippedNotes, hiddenTopics] = await Promise.all([
      listActionItemsOf(trx, manager.id, { status: 'open' }),
      progressOfManager(trx, manager, language.language, now),
      skippedNotesOf(trx, manager.id, HOME_SKIPPED_NOTES, {
        country: subscription.holidayCountry,
        region: subscription.holidayRegion,
      }),
      hiddenTopicsOf(trx, manager.id, language.language),
    ]);
    return {
      manager: { row: manager, language },
      subscription,
      openItems,
      progress,
      skippedNotes,
      hiddenTopics,
    };
  });
}
