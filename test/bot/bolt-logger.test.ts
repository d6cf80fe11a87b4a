/**
 * Bolt's and the Web API client's lines go through our logger (src/bot/bolt-logger.ts): scrubbed
 * when written, and not even looked at when their level is off, as the client's debug lines,
 * which carry whole requests and responses, are in production.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/bot/bolt-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';

function logged(level: 'info' | 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: boltLogger(createLogger({ level, service: 'test', destination })), lines };
}

describe('the logger Bolt and the Web API client write to', () => {
  it('does not read a line whose level is off', () => {
    const { logger, lines } = logged('info');
    let read = 0;
    const body = {
      toJSON() {
        read += 1;
        return { text: 'words' };
      },
    };
    logger.debug('http request body:', body);
    expect(read).toBe(0);
    logger.info('sent', body);
    expect(read).toBe(1);
    expect(lines.map((line) => line.msg)).toEqual(['sent [data omitted]']);
  });

  it('writes a line whose level is on, its data left out and tokens scrubbed', () => {
    const { logger, lines } = logged('debug');
    logger.debug('token xoxb-123-abc in', { text: 'words' });
    expect(lines.map((line) => line.msg)).toEqual(['token [redacted] in [data omitted]']);
  });
});
