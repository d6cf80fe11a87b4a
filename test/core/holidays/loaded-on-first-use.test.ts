/**
 * date-holidays costs a process about 30 MB (issue 19, item 6), so it is loaded when a holiday
 * is first asked about, not when the service starts: in a process of its own, importing the
 * rules leaves it unloaded, and the first question loads it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// Records every module resolved, by import or by require, before the rules are imported.
const PROBE = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    resolved.push(result.url);
    return result;
  },
});
const loaded = () => resolved.some((url) => url.includes('/date-holidays/'));
const rules = await import('./src/core/holidays/rules.ts');
const atImport = loaded();
const christmas = rules.publicHolidayOn({ country: 'DE', region: null }, '2026-12-25');
console.log(JSON.stringify({ atImport, afterAsking: loaded(), christmas }));
`;

describe('the holiday calendars', () => {
  it('when the rules are imported, then date-holidays is not loaded until a holiday is asked about', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE]);
    expect(JSON.parse(stdout)).toEqual({
      atImport: false,
      afterAsking: true,
      christmas: expect.stringMatching(/christmas/i),
    });
  });
});
