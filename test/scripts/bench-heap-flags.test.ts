/**
 * The bench runs the all-in-one process with the heap flags `npm start` gives it
 * (docs/decisions/0014), read from package.json, so the two cannot drift apart.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { heapFlagsOf, scriptOf } from '../../scripts/bench/service.ts';

describe('the heap flags the bench gives the all-in-one process', () => {
  it('when a command line has heap flags among other options, then they are taken in order', () => {
    expect(
      heapFlagsOf(
        'exec node --max-semi-space-size=4 --env-file-if-exists=.env --max-old-space-size=256 src/main.ts',
      ),
    ).toEqual(['--max-semi-space-size=4', '--max-old-space-size=256']);
  });

  it('when a command line has none, then there are none', () => {
    expect(heapFlagsOf('exec node --env-file-if-exists=.env --watch src/main.ts')).toEqual([]);
  });

  it('when a command line runs a script, then the bench runs the same one', () => {
    expect(
      scriptOf('exec node --max-semi-space-size=4 --env-file-if-exists=.env dist/main.js'),
    ).toBe('dist/main.js');
  });

  it('when npm start runs the all-in-one process, then it runs the compiled build, with the young generation capped at 4 MB semi-spaces', async () => {
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as {
      scripts: { start: string; prestart: string };
    };
    // The build is incremental (tsconfig.build.json): a start with nothing changed takes seconds.
    expect(manifest.scripts.prestart).toBe('tsc -p tsconfig.build.json');
    expect(manifest.scripts.start).toMatch(/^exec node .*dist\/main\.js$/);
    expect(heapFlagsOf(manifest.scripts.start)).toEqual(['--max-semi-space-size=4']);
  });
});
