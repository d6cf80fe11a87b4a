/**
 * Counts and times every request the bot makes to Slack's Web API, through the `fetch` that
 * each WebClient is given. That is the one hook that reaches every client: Bolt builds a new
 * WebClient per workspace from its `clientOptions` (so wrapping `app.client` would miss the
 * listeners' calls), and WebClient binds `chat.postMessage` and the rest to `apiCall` when it
 * is constructed. Each HTTP request counts once, so a call WebClient retries counts per attempt.
 */
import type { FetchFunction } from '@slack/web-api';
import type { Metrics } from '../observability/metrics.ts';

export type SlackApiResult = 'ok' | 'ratelimited' | 'error' | 'http_error' | 'request_error';

/** Web API method names: `chat.postMessage`, `users.info`, `admin.users.session.reset`. */
const METHOD_NAME = /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*){1,4}$/;

/**
 * The Web API method a request URL calls, or undefined when the URL is not under `apiUrl`
 * (Bolt sends `response_url` posts through the same fetch). Anything that does not look like a
 * method name becomes `other`, so the label stays a small, fixed set.
 */
export function slackApiMethod(url: string, apiUrl: string): string | undefined {
  if (!url.startsWith(apiUrl)) return undefined;
  const method = url.slice(apiUrl.length).split(/[?#]/)[0] ?? '';
  return METHOD_NAME.test(method) ? method : 'other';
}

/** How Slack answered, in the terms of `blindspot_slack_api_calls_total`'s result label. */
export function slackApiResult(status: number, body: unknown): SlackApiResult {
  if (status === 429) return 'ratelimited';
  // Slack's Web API answers 200 to every call it handled; anything else is the HTTP layer.
  if (status !== 200) return 'http_error';
  const { ok, error } = (body ?? {}) as { ok?: unknown; error?: unknown };
  if (ok === true) return 'ok';
  return error === 'ratelimited' ? 'ratelimited' : 'error';
}

/**
 * A fetch for WebClient (and Bolt's `clientOptions`) that records each Web API request in
 * `blindspot_slack_api_calls_total` and `blindspot_slack_api_call_duration_seconds`.
 */
export function measuredSlackFetch(
  apiUrl: string,
  metrics: Metrics,
  fetchFn: typeof fetch = globalThis.fetch,
): FetchFunction {
  // WebClient adds the slash when it is missing; so must we, to match its URLs.
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return async (input, init) => {
    const method = slackApiMethod(String(input), base);
    if (method === undefined) return fetchFn(input, init);
    const started = performance.now();
    const record = (result: SlackApiResult) => {
      metrics.slackApi.calls.inc({ method, result });
      metrics.slackApi.duration.observe({ method, result }, (performance.now() - started) / 1000);
    };
    let response: Response;
    try {
      response = await fetchFn(input, init);
    } catch (error) {
      // Unreachable, reset, or WebClient's timeout aborted it.
      record('request_error');
      throw error;
    }
    let body: unknown;
    if (response.status === 200 && response.headers.get('content-type')?.includes('json')) {
      // A copy, so WebClient still reads the original body.
      body = await response
        .clone()
        .json()
        .catch(() => undefined);
    } else if (response.status === 200) {
      // Not JSON (a gzip export, for one): Slack handled the call.
      body = { ok: true };
    }
    record(slackApiResult(response.status, body));
    return response;
  };
}
