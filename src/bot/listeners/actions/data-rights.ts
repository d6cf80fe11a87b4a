import type { App, ViewSubmitAction, webApi } from '@slack/bolt';
import type { ApiClient, CallContext } from '../../api-client/index.ts';
import {
  buildEraseFailedModal,
  buildEraseModal,
  DATA_RIGHTS_ACTIONS,
  ERASE_CALLBACK_ID,
  erasedText,
  exportLinkMessage,
} from '../../blocks/data-rights.ts';
import type { Voice } from '../../i18n/index.ts';
import { voiceFor } from '../../i18n/index.ts';
import { dmFailure, failureText } from '../failure-replies.ts';
import { managerVoice } from '../manager-voice.ts';
import { type ListenerDeps, onAction, onSubmission, publishHome } from '../shared.ts';

type WebClient = webApi.WebClient;

/** Asks the API for a download link and DMs it: a DM, so the link is the manager's alone. */
export async function sendExportLink(
  client: WebClient,
  api: ApiClient,
  call: CallContext,
): Promise<void> {
  const [link, me] = await Promise.all([api.createExport(call), api.getMe(call)]);
  await client.chat.postMessage({
    channel: call.slackUserId,
    ...exportLinkMessage(link, me.timeZone, voiceFor(me)),
  });
}

/** Opens the erase confirmation; nothing is erased until it is submitted. */
export async function openEraseModal(
  client: WebClient,
  triggerId: string,
  voice: Voice,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: buildEraseModal(voice) });
}

/**
 * The Home tab's data buttons and the erase modal's submission (issue 16). The submission erases
 * through the API, closes the modal, confirms by DM and shows the Home tab of someone new.
 */
export function registerDataRights(app: App, deps: ListenerDeps): void {
  const { api, logger } = deps;
  app.action(
    DATA_RIGHTS_ACTIONS.export,
    onAction(
      logger,
      'exporting data',
      ({ client }, call) => sendExportLink(client, api, call),
      dmFailure,
    ),
  );
  app.action(
    DATA_RIGHTS_ACTIONS.erase,
    onAction(
      logger,
      'opening the erase modal',
      async ({ body, client }, call) =>
        openEraseModal(client, body.trigger_id, await managerVoice(client, api, call)),
      dmFailure,
    ),
  );
  app.view<ViewSubmitAction>(
    ERASE_CALLBACK_ID,
    onSubmission(
      logger,
      'erasing data',
      async ({ ack, client }, call) => {
        // Read before erasing: afterwards the API knows nothing of the manager, language included.
        const voice = await managerVoice(client, api, call);
        try {
          await api.eraseMe(call);
        } catch (error) {
          // The modal has no input for Slack to show an error beside: it says so in its place.
          await ack({
            response_action: 'update',
            view: buildEraseFailedModal(failureText(error, voice), voice),
          });
          throw error;
        }
        await ack();
        await client.chat.postMessage({ channel: call.slackUserId, text: erasedText(voice) });
        await publishHome(client, deps, call);
      },
      // Never used: the submission acks itself on failure, above.
      () => ({}),
    ),
  );
}
