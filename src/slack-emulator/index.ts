/**
 * An emulator of Slack's Web API (the "stand-in"): tests run the bot against it, scripts run it by
 * hand, and the sandbox runs the real bot against it in-process, showing each person what Slack
 * would show them (their DM with the bot, App Home and modals).
 *
 * It listens on 127.0.0.1, answers the Web API methods Blindspot uses with Slack-shaped responses,
 * records every call, lets a test inject Slack's failure modes (error codes, rate limits, 5xx,
 * latency, a sender killed right after its post), and hosts `response_url` endpoints for slash
 * commands and interactions.
 *
 * Point a `WebClient` (or Bolt's `clientOptions`) at it with `slackApiUrl: standIn.url`.
 */
//
// The pieces: server.ts (HTTP, latency, the order of checks), workspace.ts (members, DMs, the
// dispatch of methods, change events), messages.ts (chat.* and what people type), views.ts (Home
// tabs, modal stacks, trigger ids, view_submission answers), response-urls.ts, history.ts
// (conversations.history's paging and filters), users.ts (users.info's user object), users-list.ts (users.list's pages, user_status_changed),
// user-groups.ts (usergroups.list and usergroups.users.list), faults.ts
// (injected failures, and the hook that kills a sender right after its post), recorder.ts
// (recorded calls and waiting for them), requests.ts (parsing Slack-shaped requests), types.ts
// (the public types), slack-types.ts (the answers checked against @slack/web-api's types).
export type { InstalledToken, InstallGrant, StandInInstalls } from './installs.ts';
export { startSlackEmulator, startSlackStandIn } from './server.ts';
export {
  type CallRateSample,
  type ChangeScope,
  type EmulatedMessage,
  type EmulatedView,
  type EmulatorChange,
  type FailNextOptions,
  type FaultOptions,
  type JsonObject,
  type KillAfterPostOptions,
  type OutageMode,
  type PersonSnapshot,
  type PlainTextObject,
  type PostedMessage,
  type PostingRateLimits,
  type RateLimitNextOptions,
  type RateLimitViolation,
  type RateLimitViolations,
  type RecordedResponseUrlPost,
  type RecordedSlackCall,
  type RecordedSlackResponse,
  type ResponseUrlFailureOptions,
  type ServerErrorNextOptions,
  type SlackEmulator,
  type SlackEmulatorOptions,
  type SlackStandIn,
  type SlackStandInIdentity,
  type SlackStandInOptions,
  type SlackUserGroupSeed,
  type SlackUserSeed,
  STAND_IN_METHODS,
  type TokenBucketLimit,
  TRIGGER_ID_TTL_MS,
  type ViewResponseOutcome,
  type WaitOptions,
} from './types.ts';
