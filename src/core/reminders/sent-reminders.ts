/**
 * A manager's own sent reminders: found by their Slack message, a thread reply to a reminder
 * ("done!", "not yet") is answered for the items that reminder asked about; and read as their
 * message should stand now, so that an answer given anywhere else shows on the reminder too.
 * Topic titles come in the manager's language, with their language and locale beside them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { languageOfManager } from '../languages/service.ts';
import type { ManagerRow } from '../managers/repository.ts';
import { getManager } from '../managers/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import { titlesInLanguage } from '../topics/localize.ts';
import {
  type AskedItem,
  findLatestReminderIdAbout,
  findReminderMessage,
  findSentReminderByMessage,
  type ReminderMessageRow,
} from './repositories/sent-reminders.ts';

export type { AskedItem, ReminderMessageItem } from './repositories/sent-reminders.ts';

type Language = Awaited<ReturnType<typeof languageOfManager>>;

/** A sent reminder's message as it should stand, in the manager's language and locale. */
export type ReminderMessage = ReminderMessageRow & { locale: string; language: Language };

/** The items' topic titles in the manager's language, with that language and their locale. */
async function inTheirLanguage<T extends { items: AskedItem[] | ReminderMessageRow['items'] }>(
  db: Kysely<Database>,
  manager: ManagerRow,
  reminder: T,
): Promise<T & { locale: string; language: Language }> {
  const language = await languageOfManager(db, manager.id);
  const items = await titlesInLanguage(db, reminder.items as AskedItem[], language);
  return { ...reminder, items, locale: manager.locale, language };
}

/** The reminder whose Slack message this is (a reply's thread_ts), if it is the manager's. */
export async function findReminderByMessage(
  db: Kysely<Database>,
  who: SlackIdentity,
  channelId: string,
  ts: string,
): Promise<{ id: string; locale: string; language: Language; items: AskedItem[] }> {
  const manager = await getManager(db, who);
  const reminder = await findSentReminderByMessage(db, manager.id, channelId, ts);
  if (!reminder) throw notFound('reminder');
  return inTheirLanguage(db, manager, reminder);
}

/** One of the manager's sent reminders, with its message and every item's answer. */
export async function getReminderMessage(
  db: Kysely<Database>,
  who: SlackIdentity,
  reminderId: string,
): Promise<ReminderMessage> {
  const manager = await getManager(db, who);
  const reminder = await findReminderMessage(db, manager.id, reminderId);
  if (!reminder) throw notFound('reminder');
  return inTheirLanguage(db, manager, reminder);
}

/**
 * The latest sent reminder that asked about one of the manager's items: the message whose
 * buttons an item marked done elsewhere (the Home tab, a list) should no longer offer.
 */
export async function latestReminderMessageAbout(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
): Promise<ReminderMessage> {
  const manager = await getManager(db, who);
  const id = await findLatestReminderIdAbout(db, manager.id, itemId);
  const reminder = id ? await findReminderMessage(db, manager.id, id) : undefined;
  if (!reminder) throw notFound('reminder');
  return inTheirLanguage(db, manager, reminder);
}
