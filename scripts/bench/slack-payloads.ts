/**
 * Signed Slack requests for the load generator, shaped and signed exactly as Slack sends them
 * (the same fields, order and encoding as test/support/slack-requests.ts). Each call makes a new
 * request: fresh trigger id, response_url and timestamp, so no signature outlives its 5 minutes.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import {
  encodeSlackForm,
  SLACKBOT_USER_AGENT,
  signSlackRequest,
} from '../../test/support/slack-requests.ts';

const VERIFICATION_TOKEN = 'xyzz0StandInVerifyToken0';

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export interface SlackPayloadSettings {
  signingSecret: string;
  standIn: SlackStandIn;
}

function digits(count: number): string {
  let value = String(randomInt(1, 10));
  while (value.length < count) value += String(randomInt(0, 10));
  return value;
}

const triggerId = () => `${digits(11)}.${digits(9)}.${randomBytes(16).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function signed(signingSecret: string, body: string): SignedRequest {
  const signature = signSlackRequest({ signingSecret, body });
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': SLACKBOT_USER_AGENT,
      'x-slack-request-timestamp': signature['X-Slack-Request-Timestamp'],
      'x-slack-signature': signature['X-Slack-Signature'],
    },
    body,
  };
}

/** `/blindspot <text>` typed by `userId` in their DM with the bot. */
export function slashCommand(
  settings: SlackPayloadSettings,
  userId: string,
  text: string,
): SignedRequest {
  const { identity } = settings.standIn;
  const body = encodeSlackForm({
    token: VERIFICATION_TOKEN,
    team_id: identity.teamId,
    team_domain: identity.teamDomain,
    channel_id: settings.standIn.dmChannelIdFor(userId),
    channel_name: 'directmessage',
    user_id: userId,
    user_name: `user.${userId.toLowerCase()}`,
    command: '/blindspot',
    text,
    api_app_id: identity.appId,
    is_enterprise_install: 'false',
    response_url: settings.standIn.newResponseUrl(),
    trigger_id: triggerId(),
  });
  return signed(settings.signingSecret, body);
}

/** A click on a button of the App Home tab (a view: no channel, no response_url). */
export function homeButtonClick(
  settings: SlackPayloadSettings,
  userId: string,
  actionId: string,
): SignedRequest {
  const { identity } = settings.standIn;
  const viewId = `V0${randomBytes(4).toString('hex').toUpperCase()}`;
  const payload = {
    type: 'block_actions',
    user: {
      id: userId,
      username: `user.${userId.toLowerCase()}`,
      name: `user.${userId.toLowerCase()}`,
      team_id: identity.teamId,
    },
    api_app_id: identity.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId(),
    team: { id: identity.teamId, domain: identity.teamDomain },
    is_enterprise_install: false,
    actions: [
      {
        type: 'button',
        block_id: randomBytes(3).toString('base64url'),
        action_id: actionId,
        text: { type: 'plain_text', text: actionId, emoji: true },
        action_ts: `${nowSeconds()}.${digits(6)}`,
      },
    ],
    container: { type: 'view', view_id: viewId },
    view: {
      id: viewId,
      team_id: identity.teamId,
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Blindspot', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: identity.appId,
      external_id: '',
      app_installed_team_id: identity.teamId,
      bot_id: identity.botId,
    },
    state: { values: {} },
  };
  return signed(settings.signingSecret, encodeSlackForm({ payload: JSON.stringify(payload) }));
}
