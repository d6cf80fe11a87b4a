/**
 * The minimum shape Bolt relies on when it routes a Slack request. Bolt reads fields such as
 * `body.user.id`, `body.actions[0]` and `body.event.type` without checking them, so a correctly
 * signed but malformed payload (`payload=null`, `"event": null`, `"user": [1]`) made it throw
 * before any listener ran, and the receiver answered 500, which Slack retries. Found by the Slack
 * fuzz test (test/bot/slack-fuzz.test.ts); what Slack sends is described at
 * https://docs.slack.dev/reference/interaction-payloads and
 * https://docs.slack.dev/apis/events-api/#callback-field.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const hasStringId = (value: unknown) => isObject(value) && typeof value.id === 'string';

/** Interaction fields that, when present, are objects in every payload Slack sends. */
const OBJECT_FIELDS = ['container', 'channel', 'message', 'view', 'state', 'enterprise'];

/** Why Bolt could not route this body, or undefined when it can. */
export function slackPayloadProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'not an object';
  if (body.ssl_check !== undefined || body.type === 'url_verification') return undefined;
  if (body.command !== undefined) {
    return typeof body.command === 'string' && typeof body.user_id === 'string'
      ? undefined
      : 'a slash command without its command or user';
  }
  if (body.type === 'event_callback') {
    return isObject(body.event) && typeof body.event.type === 'string'
      ? undefined
      : 'an event callback without its event';
  }
  if (typeof body.type !== 'string') return 'no type';
  if (!hasStringId(body.user)) return 'an interaction without its user';
  if (body.team !== undefined && body.team !== null && !hasStringId(body.team)) {
    return 'a team that is not a team';
  }
  for (const field of OBJECT_FIELDS) {
    if (body[field] !== undefined && body[field] !== null && !isObject(body[field])) {
      return `a ${field} that is not an object`;
    }
  }
  if (body.type === 'block_actions') {
    const actions = body.actions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every(isObject)) {
      return 'block actions without their actions';
    }
  }
  if ((body.type === 'view_submission' || body.type === 'view_closed') && !isObject(body.view)) {
    return 'a view submission without its view';
  }
  return undefined;
}
