/**
 * When the sandbox is served. It must never be reachable in production by accident: `auto`
 * serves it only while Slack is not configured and NODE_ENV is not production; `on` is the only
 * way to have it beside a real Slack (at /sandbox, leaving / alone).
 */
import { type Config, isOAuthMode } from '../config.ts';

export function sandboxMount(config: Config): { root: boolean } | undefined {
  const slackConfigured = Boolean(
    config.SLACK_BOT_TOKEN || config.SLACK_APP_TOKEN || isOAuthMode(config),
  );
  if (config.SANDBOX === 'off') return undefined;
  if (config.SANDBOX === 'auto' && (slackConfigured || config.NODE_ENV === 'production')) {
    return undefined;
  }
  return { root: !slackConfigured };
}
