/**
 * `npm run faults`: breaks the world around Blindspot on purpose (processes killed, the clock
 * stepped, PostgreSQL restarted, Slack down or rate limiting, the API gone, a long soak) and
 * checks what Blindspot promises in each case (issue 12): every scenario in scripts/faults/,
 * each on a fresh database with the Slack stand-in, plus the fuzzers at full size. Prints one
 * table and exits non-zero when any row fails; at scale 1, a full run also writes the table
 * into docs/reliability.md between its markers.
 *
 *   npm run faults                          # everything, at the size the docs state
 *   FAULTS_SCALE=0.1 npm run faults         # a tenth of every size, for development
 *   npm run faults -- --only kill-all-in-one,clock-back
 *
 * Each scenario's cleanup (its processes, stand-in, database) runs when it ends, whether it
 * passed, failed, threw, ran past its time limit or the suite was interrupted.
 */
import { execFile } from 'node:child_process';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { apiLoss } from './faults/api-loss.ts';
import { clockBack, clockForward } from './faults/clock-steps.ts';
import { fuzzAtFullSize } from './faults/fuzz.ts';
import { killAllInOne } from './faults/kill-all-in-one.ts';
import { killDuringPlanning } from './faults/kill-during-planning.ts';
import { killDuringReminders } from './faults/kill-during-reminders.ts';
import { killSplitApi } from './faults/kill-split-api.ts';
import { killSplitBot } from './faults/kill-split-bot.ts';
import { killSplitWorker } from './faults/kill-split-worker.ts';
import { postgresRestart } from './faults/postgres-restart.ts';
import type { FaultContext, FaultResult, FaultScenario } from './faults/scenario.ts';
import { slackOutage } from './faults/slack-outage.ts';
import { slackRateLimits } from './faults/slack-rate-limits.ts';
import { soak } from './faults/soak.ts';
import { renderSection, type TableRow, writeBetweenMarkers } from './faults/table.ts';

/**
 * Every scenario, in the order they run. A new scenario is a file in scripts/faults/ exporting
 * a FaultScenario, and one line here.
 */
const SCENARIOS: readonly FaultScenario[] = [
  killAllInOne,
  killSplitBot,
  killSplitWorker,
  killSplitApi,
  killDuringReminders,
  killDuringPlanning,
  postgresRestart,
  slackOutage,
  slackRateLimits,
  clockForward,
  clockBack,
  apiLoss,
  soak,
  fuzzAtFullSize,
];

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const DOCS = path.join(REPO_ROOT, 'docs', 'reliability.md');
const USAGE = `Usage: [FAULTS_SCALE=1] npm run faults [-- --only <id>,<id>] [--list]

  FAULTS_SCALE   1 (the default) is the size docs/reliability.md states; 0.1 a tenth, for
                 development. Only a full run at 1 writes docs/reliability.md.
  --only         run just these scenarios (ids from --list)
  --list         print the scenarios and their pass conditions, and exit
  DATABASE_URL   a PostgreSQL server to create each scenario's fresh database on (dropped
                 afterwards); without it, an embedded PostgreSQL in a temporary folder`;

const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);
function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(1);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        only: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    usageError((error as Error).message);
  }
}

const flags = parseFlags();
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (flags.list) {
  for (const s of SCENARIOS)
    process.stdout.write(`${s.id}\n  ${s.title}\n  pass: ${s.passCondition}\n`);
  process.exit(0);
}
const scale = Number(process.env.FAULTS_SCALE ?? '1');
if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
  usageError(
    `FAULTS_SCALE must be a number above 0 and at most 1, got "${process.env.FAULTS_SCALE}"`,
  );
}
const only = flags.only
  ?.split(',')
  .map((id) => id.trim())
  .filter(Boolean);
const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0) usageError(`no scenario ${unknown.join(', ')}; --list shows them`);
const selected = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;

/** A scenario that has not finished by then fails, and its cleanup runs. */
const timeLimitMs = (10 + 45 * scale) * 60_000;

/** The running scenario's cleanups, newest last; run newest first. */
let cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
async function cleanUp(id: string): Promise<void> {
  const steps = cleanups.reverse();
  cleanups = [];
  for (const step of steps) {
    try {
      await step.run();
    } catch (error) {
      log(`${id}: cleanup "${step.name}" failed: ${(error as Error).message}`);
    }
  }
}

let current: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up${current ? ` ${current}` : ''}`);
    void cleanUp(current ?? 'suite').finally(() => process.exit(130));
  });
}

async function runScenario(scenario: FaultScenario): Promise<TableRow> {
  current = scenario.id;
  const started = Date.now();
  /** Once the scenario is over (or past its limit), what it still starts is undone at once. */
  let over = false;
  const context: FaultContext = {
    repoRoot: REPO_ROOT,
    databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
    scale,
    defer: (name, run) => {
      if (!over) cleanups.push({ name, run });
      else void run().catch((error) => log(`${scenario.id}: late cleanup "${name}": ${error}`));
    },
    log: (line) => log(`${scenario.id}: ${line}`),
  };
  log(`${scenario.id}: ${scenario.title}`);
  let result: FaultResult;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<FaultResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            pass: false,
            figures: 'did not finish',
            failure: `still running after ${Math.round(timeLimitMs / 60_000)} minutes`,
          }),
        timeLimitMs,
      );
    });
    const running = scenario.run(context);
    // Past the limit the run is abandoned; what it throws later must not end the suite.
    running.catch(() => {});
    result = await Promise.race([running, timedOut]);
  } catch (error) {
    const message = (error as Error).stack ?? String(error);
    log(`${scenario.id}: threw ${message}`);
    result = {
      pass: false,
      figures: 'did not finish',
      failure: `threw: ${(error as Error).message.split(/\.? Last lines|\n/)[0]}`,
    };
  } finally {
    clearTimeout(timer);
    over = true;
    await cleanUp(scenario.id);
    current = undefined;
  }
  const seconds = (Date.now() - started) / 1000;
  log(
    `${scenario.id}: ${result.pass ? 'PASS' : 'FAIL'}: ${result.figures}${result.failure ? ` (${result.failure})` : ''}`,
  );
  return {
    id: scenario.id,
    title: scenario.title,
    passCondition: scenario.passCondition,
    seconds,
    ...result,
  };
}

async function commitDescription(): Promise<string> {
  const git = promisify(execFile);
  try {
    const { stdout } = await git('git', ['describe', '--always', '--dirty', '--abbrev=12'], {
      cwd: REPO_ROOT,
    });
    return stdout.trim();
  } catch {
    return 'unknown';
  }
}

const rows: TableRow[] = [];
for (const scenario of selected) rows.push(await runScenario(scenario));

const section = renderSection(rows, {
  date: new Date(),
  scale,
  commit: await commitDescription(),
  command: `${scale === 1 ? '' : `FAULTS_SCALE=${scale} `}npm run faults${only ? ` -- --only ${only.join(',')}` : ''}`,
  machine: `${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GB`,
});
process.stdout.write(`\n${section}\n`);
if (scale === 1 && !only) {
  await writeBetweenMarkers(DOCS, section);
  log(`wrote the table into ${path.relative(REPO_ROOT, DOCS)}`);
} else {
  log(`not written into docs/reliability.md: only a full run at FAULTS_SCALE=1 is`);
}
const failed = rows.filter((r) => !r.pass);
if (failed.length > 0)
  log(`${failed.length} of ${rows.length} failed: ${failed.map((r) => r.id).join(', ')}`);
// Exit rather than wait: a scenario that ran past its limit may still hold timers.
process.exit(failed.length > 0 ? 1 : 0);
