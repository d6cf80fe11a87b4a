/**
 * `/blindspot topics` and its buttons: the notes a manager has had, a page at a time, and "Read",
 * which shows one again, to them alone, as it came (with what they planned on it since).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ApiClient, CallContext } from '../../api-client/index.ts';
import {
  PAST_NOTE_ACTIONS,
  PAST_NOTES_PER_PAGE,
  pastNotesMessage,
} from '../../blocks/past-notes.ts';
import { voiceFor } from '../../i18n/index.ts';
import { apiIdOf, MalformedInputError } from '../malformed-input.ts';
import { findSubscription, type ListenerDeps, onAction } from '../shared.ts';
import { noteAsItStands } from '../views/plan-action.ts';

/** Page `page` of the manager's past notes, newest first, as a message. */
export async function pastNotesPage(api: ApiClient, call: CallContext, page: number) {
  // One more than a page: whether an older page follows, without counting them all.
  const [notes, subscription] = await Promise.all([
    api.recentDeliveries(call, PAST_NOTES_PER_PAGE + 1, page * PAST_NOTES_PER_PAGE),
    findSubscription(api, call),
  ]);
  return pastNotesMessage(
    notes.slice(0, PAST_NOTES_PER_PAGE),
    {
      page,
      hasMore: notes.length > PAST_NOTES_PER_PAGE,
      timeZone: subscription?.timeZone ?? 'UTC',
    },
    voiceFor(subscription),
  );
}

type Clicked = BlockAction<ButtonAction>;

/** The most pages back a button may ask for: the API serves the newest 10,000 notes. */
const LAST_PAGE = 999;

export function registerPastNotes(app: App, { api, logger }: ListenerDeps): void {
  app.action(
    PAST_NOTE_ACTIONS.page,
    onAction<Clicked>(logger, 'turning a page of past notes', async ({ action, respond }, call) => {
      const page = Number(action.value);
      if (!Number.isInteger(page) || page < 0 || page > LAST_PAGE)
        throw new MalformedInputError('a page button without its page');
      await respond({ replace_original: true, ...(await pastNotesPage(api, call, page)) });
    }),
  );

  // The list stays; the note comes under it, as it was sent, with its buttons working as ever.
  app.action(
    PAST_NOTE_ACTIONS.open,
    onAction<Clicked>(logger, 'showing a past note', async ({ action, respond }, call) => {
      const id = apiIdOf(action.value, "a read button's note");
      const { message } = await noteAsItStands(api, call, id);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
    }),
  );
}
