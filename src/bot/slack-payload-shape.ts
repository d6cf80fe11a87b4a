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
/**
 * Slack's ids (users, teams, enterprises) are upper-case letters and digits. The bot passes them
 * on to the API in headers, which take Latin-1 only: an id with other characters made the API
 * client throw, and the listener log an error, for a payload Slack never sends.
 */
const SLACK_ID = /^[A-Z0-9]{1,64}$/;
const isSlackId = (value: unknown) => typeof value === 'string' && SLACK_ID.test(value);
const hasStringId = (value: unknown) => isObject(value) && typeof value.id === 'string';
/** An optional id, when present, is one of Slack's. */
const optionalSlackId = (value: unknown) =>
  value === undefined || value === null || isSlackId(value);

/** Interaction fields that, when present, are objects in every payload Slack sends. */
const OBJECT_FIELDS = ['container', 'channel', 'message', 'view', 'state', 'enterprise'];

/** Why Bolt could not route this body, or undefined when it can. */
export function slackPayloadProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'not an object';
  if (body.ssl_check !== undefined || body.type === 'url_verification') return undefined;
  if (body.command !== undefined) {
    if (typeof body.command !== 'string' || typeof body.user_id !== 'string')
      return 'a slash command without its command or user';
    return isSlackId(body.user_id) && optionalSlackId(body.team_id)
      ? undefined
      : 'a slash command from ids that are not Slack ids';
  }
  if (body.type === 'event_callback') {
    if (!isObject(body.event) || typeof body.event.type !== 'string')
      return 'an event callback without its event';
    // An event's `user` is an id in most events, an object in a few (user_change).
    const user = body.event.user;
    return optionalSlackId(body.team_id) && (typeof user !== 'string' || isSlackId(user))
      ? undefined
      : 'an event from ids that are not Slack ids';
  }
  if (typeof body.type !== 'string') return 'no type';
  if (!hasStringId(body.user)) return 'an interaction without its user';
  if (body.team !== undefined && body.team !== null && !hasStringId(body.team)) {
    return 'a team that is not a team';
  }
  const user = body.user as Record<string, unknown>;
  const team = body.team as Record<string, unknown> | null | undefined;
  if (!isSlackId(user.id) || !optionalSlackId(user.team_id) || !optionalSlackId(team?.id)) {
    return 'an interaction from ids that are not Slack ids';
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
