/**
 * A stand-in for Slack's Web API, for tests and for running Blindspot by hand without a workspace.
 *
 * It listens on 127.0.0.1, answers the Web API methods Blindspot uses with Slack-shaped responses,
 * records every call, lets a test inject Slack's failure modes (error codes, rate limits, 5xx,
 * latency, a sender killed right after its post), and hosts `response_url` endpoints for slash
 * commands and interactions.
 *
 * Point a `WebClient` (or Bolt's `clientOptions`) at it with `slackApiUrl: standIn.url`.
 */
//
// The pieces: server.ts (HTTP, latency, the order of checks), workspace.ts (members, DMs, messages,
// views and the Web API methods over them), history.ts (conversations.history's paging and
// filters), users.ts (users.info's user object), faults.ts (injected failures, and the hook that
// kills a sender right after its post), recorder.ts (recorded calls and waiting for them),
// requests.ts (parsing Slack-shaped requests), types.ts (the public types).
export { startSlackStandIn } from './server.ts';
export {
  type CallRateSample,
  type FailNextOptions,
  type FaultOptions,
  type JsonObject,
  type KillAfterPostOptions,
  type OutageMode,
  type PostingRateLimits,
  type RateLimitNextOptions,
  type RateLimitViolation,
  type RateLimitViolations,
  type RecordedResponseUrlPost,
  type RecordedSlackCall,
  type RecordedSlackResponse,
  type ResponseUrlFailureOptions,
  type ServerErrorNextOptions,
  type SlackStandIn,
  type SlackStandInIdentity,
  type SlackStandInOptions,
  type SlackUserSeed,
  STAND_IN_METHODS,
  type TokenBucketLimit,
  type WaitOptions,
} from './types.ts';
