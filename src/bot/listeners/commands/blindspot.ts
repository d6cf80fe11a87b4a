import type { App } from '@slack/bolt';
import type { ApiClient } from '../../api-client/index.ts';
import { openItemBlocks } from '../../blocks/action-items.ts';
import {
  HELP_TEXT,
  PAUSED_TEXT,
  RESUMED_TEXT,
  UNKNOWN_COMMAND_TEXT,
} from '../../blocks/messages.ts';
import { progressBlocks } from '../../blocks/reminders.ts';
import { callContext, failureText, openSignupModal } from '../shared.ts';

/** `/blindspot [help|actions|history|pause|resume]`: ack first, then talk to the API, and answer only the caller. */
export function registerBlindspotCommand(app: App, api: ApiClient, now: () => Date): void {
  app.command('/blindspot', async ({ command, ack, respond, client, context, logger }) => {
    await ack();
    const call = callContext(command.team_id, command.user_id, context);
    const subcommand = command.text.trim().toLowerCase();
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    try {
      switch (subcommand) {
        case '':
          await openSignupModal(client, api, call, command.trigger_id, now());
          return;
        case 'help':
          await say(HELP_TEXT);
          return;
        case 'history': {
          // The same as the Home tab shows, as a DM to keep.
          const [progress, items] = await Promise.all([
            api.progress(call),
            api.listActionItems(call, { status: 'open' }),
          ]);
          await client.chat.postMessage({
            channel: call.slackUserId,
            text: 'Your progress with Blindspot',
            blocks: [...progressBlocks(progress), ...openItemBlocks(items)],
          });
          return;
        }
        case 'actions': {
          const items = await api.listActionItems(call, { status: 'open' });
          await respond({
            response_type: 'ephemeral',
            text: 'Your open actions',
            blocks: openItemBlocks(items),
          });
          return;
        }
        case 'pause':
          await api.pause(call, 'paused with /blindspot pause');
          await say(PAUSED_TEXT);
          return;
        case 'resume':
          await api.resume(call);
          await say(RESUMED_TEXT);
          return;
        default:
          await say(UNKNOWN_COMMAND_TEXT(command.text.trim()));
      }
    } catch (error) {
      logger.error(`/blindspot ${subcommand} failed: ${(error as Error).message}`);
      await say(failureText(error));
    }
  });
}
