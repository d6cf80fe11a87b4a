import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../observability/logger.ts';

/** Bolt and the Web API client log strings; scrub anything shaped like a Slack token first. */
const TOKEN = /\bx(?:ox[abpres]|app)-[A-Za-z0-9-]+/g;
/**
 * Where serialised data starts in a line. At debug level the Web API client logs each request's
 * body and each response ("http request body: {...}"), and Bolt logs whole event payloads:
 * message text, modal inputs, a manager's words. The words before it say what happened; the
 * data itself never reaches our logs.
 */
const SERIALISED = /\{|\[[[{"]/;

function line(messages: unknown[]): string {
  const text = messages
    .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
    .join(' ')
    .replace(TOKEN, '[redacted]');
  const start = text.search(SERIALISED);
  return start === -1 ? text : `${text.slice(0, start)}[data omitted]`;
}

/** Bolt's Logger interface over pino, so Bolt's lines are JSON like ours. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  // The Web API client writes four debug lines a call, two holding the whole request and
  // response: scrubbing them for a level that is off was 3% of a fan-out's garbage.
  const at =
    (name: 'debug' | 'info' | 'warn' | 'error') =>
    (...m: unknown[]) => {
      if (child.isLevelEnabled(name)) child[name](line(m));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
