/**
 * A manager's own sent reminders, found by their Slack message: a thread reply to a reminder
 * ("done!", "not yet") is answered for the items that reminder asked about.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { languageOfManager } from '../languages/service.ts';
import { getManager } from '../managers/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import { titlesInLanguage } from '../topics/localize.ts';
import { type AskedItem, findSentReminderByMessage } from './repository.ts';

export type { AskedItem } from './repository.ts';

/** The reminder whose Slack message this is (a reply's thread_ts), if it is the manager's. */
export async function findReminderByMessage(
  db: Kysely<Database>,
  who: SlackIdentity,
  channelId: string,
  ts: string,
): Promise<{ id: string; items: AskedItem[] }> {
  const manager = await getManager(db, who);
  const reminder = await findSentReminderByMessage(db, manager.id, channelId, ts);
  if (!reminder) throw notFound('reminder');
  const language = await languageOfManager(db, manager.id);
  return { ...reminder, items: await titlesInLanguage(db, reminder.items, language) };
}
