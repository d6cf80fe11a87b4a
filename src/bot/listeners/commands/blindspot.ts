import type { App } from '@slack/bolt';
import type { ApiClient } from '../../api-client/index.ts';
import {
  HELP_TEXT,
  registeredText,
  TRY_AGAIN_TEXT,
  UNKNOWN_COMMAND_TEXT,
} from '../../views/messages.ts';

/** Slack's users.info gives tz "America/New_York" and, with include_locale, "en-US". */
const FALLBACK_TIME_ZONE = 'UTC';
const FALLBACK_LOCALE = 'en-US';

/** `/blindspot [help]`: ack first, then talk to the API and answer through response_url. */
export function registerBlindspotCommand(app: App, api: ApiClient): void {
  app.command('/blindspot', async ({ command, ack, respond, client, context, logger }) => {
    await ack();
    const subcommand = command.text.trim().toLowerCase();
    if (subcommand === 'help') {
      await respond({ response_type: 'ephemeral', text: HELP_TEXT });
      return;
    }
    if (subcommand !== '') {
      await respond({
        response_type: 'ephemeral',
        text: UNKNOWN_COMMAND_TEXT(command.text.trim()),
      });
      return;
    }
    const call = {
      slackTeamId: command.team_id,
      slackUserId: command.user_id,
      requestId: context.requestId as string | undefined,
    };
    try {
      const profile = await client.users.info({ user: command.user_id, include_locale: true });
      const timeZone = profile.user?.tz ?? FALLBACK_TIME_ZONE;
      const locale = profile.user?.locale ?? FALLBACK_LOCALE;
      const before = await api.getMe(call).catch(() => undefined);
      const manager = await api.putMe(call, { timeZone, locale });
      await respond({ response_type: 'ephemeral', text: registeredText(manager, !before) });
    } catch (error) {
      logger.error(`/blindspot failed: ${(error as Error).message}`);
      await respond({ response_type: 'ephemeral', text: TRY_AGAIN_TEXT });
    }
  });
}
