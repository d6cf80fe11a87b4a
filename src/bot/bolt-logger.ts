import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../observability/logger.ts';

/** Bolt and the Web API client log strings; scrub anything shaped like a Slack token first. */
const TOKEN = /\bx(?:ox[abpres]|app)-[A-Za-z0-9-]+/g;

function line(messages: unknown[]): string {
  return messages
    .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
    .join(' ')
    .replace(TOKEN, '[redacted]');
}

/** Bolt's Logger interface over pino, so Bolt's lines are JSON like ours. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(line(m)),
    info: (...m: unknown[]) => child.info(line(m)),
    warn: (...m: unknown[]) => child.warn(line(m)),
    error: (...m: unknown[]) => child.error(line(m)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
