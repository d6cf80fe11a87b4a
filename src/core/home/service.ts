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
 * Two statements for a signed-up manager (one or two more only for topic titles in German or
 * French), each on its own: no transaction. A transaction's `begin` and `commit` were two of a
 * click's seven statements, and it held one connection across every round trip while the event
 * loop was busy elsewhere (docs/performance.md, "A Home click in three statements"). What it
 * bought was one snapshot for a view the bot redraws after every click: a change that lands
 * between the two reads shows on the next redraw.
 */
export async function homeOf(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
): Promise<HomeView> {
  const found = await findManagerWithSubscription(db, who.slackTeamId, who.slackUserId);
  if (!found) return { manager: null, subscription: null, ...NOTHING };
  const { manager, subscription } = found;
  if (!subscription) {
    const language = await managerLanguage(db, manager.id);
    return { manager: { row: manager, language }, subscription: null, ...NOTHING };
  }
  // The subscription row carries the manager's language choices and holiday place.
  const language = languageOfChoices({
    chosen: subscription.chosenLanguage,
    slackLocale: subscription.locale,
    workspaceDefault: subscription.workspaceLanguage,
  });
  const since = progressSince(manager.timeZone, now);
  const lists = await selectHomeLists(db, manager.id, manager.timeZone, since);
  const place = subscription.holidayCountry
    ? { country: subscription.holidayCountry, region: subscription.holidayRegion }
    : undefined;
  const [progress, hiddenTopics] = await Promise.all([
    progressFromRows(db, lists, language.language, manager.timeZone, now),
    hiddenTopicsFromRows(db, lists.hidden, language.language),
  ]);
  return {
    manager: { row: manager, language },
    subscription,
    openItems: lists.openItems,
    progress,
    skippedNotes: skippedNotesFromRows(lists.skipped, place),
    hiddenTopics,
  };
}
