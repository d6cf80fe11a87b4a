/**
 * The fuzzers at full size as one row of the suite: `npm run fuzz` (FUZZ_RUNS=10000: 10,000 API
 * requests, 2 × 1,250 read-back cases and 2,500 signed Slack requests, see docs/reliability.md)
 * as a child process, passing when vitest does.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { FaultScenario } from './scenario.ts';

/** Lines of vitest's output kept to explain a failure. */
const KEPT_LINES = 30;

export const fuzzAtFullSize: FaultScenario = {
  id: 'fuzz',
  title: '`npm run fuzz`: the API from its OpenAPI document and /slack/events, fuzzed at full size',
  passCondition:
    'vitest passes: 0 5xx, 0 process exits, every 4xx `{code, message, requestId}`, accepted text reads back',
  async run(context) {
    const child = spawn('npm', ['run', 'fuzz'], {
      cwd: context.repoRoot,
      // Its own group, so that the cleanup stops vitest's workers with it.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: `${path.join(context.repoRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        ...(context.databaseUrl ? { DATABASE_URL: context.databaseUrl } : {}),
        NO_COLOR: '1',
      },
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let done = false;
    context.defer('npm run fuzz', async () => {
      if (done || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    });
    const last: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (!line.trim()) continue;
          last.push(line);
          if (last.length > KEPT_LINES) last.shift();
        }
      });
    }
    const started = Date.now();
    context.log('npm run fuzz (FUZZ_RUNS=10000)…');
    const [code, signal] = await exited;
    done = true;
    const seconds = (Date.now() - started) / 1000;
    // vitest's summary: " Tests  4 passed (4)".
    const tests = last
      .map((line) => /^\s*Tests\s+(.+)$/.exec(line)?.[1])
      .find(Boolean)
      ?.trim();
    const figures = `${tests ?? 'no vitest summary'}, FUZZ_RUNS=10000, ${seconds.toFixed(0)} s`;
    if (code === 0) return { pass: true, figures };
    context.log(`npm run fuzz exited with ${code ?? signal}; its last lines:\n${last.join('\n')}`);
    return { pass: false, figures, failure: `npm run fuzz exited with ${code ?? signal}` };
  },
};
