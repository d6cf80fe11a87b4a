/**
 * The analytics bench (issue 15, item 5): every analytics endpoint answers in p99 < 100 ms on
 * 100,000 managers × one year of notes, items, reminders and answers, read from the summary
 * tables the worker keeps up to date incrementally.
 *
 *   npm run bench -- --only analytics [--analytics-scale 0.01] [--seconds 15]
 *   node scripts/bench/analytics.ts [--scale 0.01] [--seconds 15]
 *
 * It writes the year (./analytics-data.ts) into a fresh database on DATABASE_URL's server, or on
 * an embedded PostgreSQL without one, then times, in this process as the worker runs it:
 *   - the first refresh, which recounts the whole history (as after an upgrade);
 *   - a refresh with nothing new (the worker's usual tick);
 *   - a refresh after a day of activity (every note of the last note day changed again).
 *   - a refresh after a team's members changed, which recounts every week's atom cells (the
 *     team filter's, src/core/analytics/repositories/atom-cells.ts).
 * Two analytics teams are chosen before the first refresh, so it counts their cells too.
 * Then it starts the api service (`node dist/entrypoints/api.js`, as deployed) and reads each
 * endpoint over a year at a steady rate with an API key, beside the same process's /healthz at
 * the same rate as the baseline. --scale shrinks the data, for a quick check that the bench
 * works; figures at a scale below 1 are not the target's figures.
 *
 * Writing the year for 100,000 managers takes a quarter of an hour on two cores, so the data
 * can be written once and read by later runs: `node scripts/bench/analytics-data.ts` into a
 * database, then `--analytics-database <url>` (or `--database <url>` here) reads it instead of
 * writing its own; the first refresh's time is then the generator's to report.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { type RefreshResult, refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type GeneratedData, generateAnalyticsData, readGeneratedData } from './analytics-data.ts';
import { planDatabase } from './database.ts';
import { runLoad, summarise } from './load.ts';
import { scaleFlag } from './planner.ts';
import { megabytes, type Row, renderTable } from './report.ts';
import { startServiceProcess } from './service.ts';

const MANAGERS = 100_000;
const DAYS = 365;
/** A dashboard's rate: a few people clicking through it, each page four or five reads. */
const RATE = 20;
const CONNECTIONS = 5;
const TARGET_MS = 100;
/** Reads timed one at a time, each the first after the summaries changed. */
const COLD_READS = 10;
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

const log = (message: string) => process.stderr.write(`[bench analytics] ${message}\n`);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/**
 * Two analytics teams (Slack user groups an admin chose): 1% and 10% of the managers, every
 * 100th and every 10th. Kept when the data is reused, so later runs find the same ones.
 */
async function benchTeams(
  pool: pg.Pool,
  workspaceId: string,
): Promise<Array<{ name: string; id: string }>> {
  const teams = [];
  for (const [share, every] of [
    ['1%', 100],
    ['10%', 10],
  ] as const) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO slack_user_groups (workspace_id, slack_group_id, handle, name, is_team,
                                      members_synced_at, member_count, updated_at)
       VALUES ($1, $2, $3, $3, true, now(), 0, now())
       ON CONFLICT (workspace_id, slack_group_id) DO UPDATE SET is_team = true
       RETURNING id`,
      [workspaceId, `SBENCH${every}`, `bench-team-${every}`],
    );
    const id = String(rows[0]?.id);
    await pool.query(
      `INSERT INTO slack_user_group_members (group_id, manager_id)
       SELECT $1, id FROM managers WHERE workspace_id = $2 AND id % $3 = 0
       ON CONFLICT DO NOTHING`,
      [id, workspaceId, every],
    );
    teams.push({ name: `a team of ${share} of the managers`, id });
  }
  return teams;
}

/** Adds a manager who is in no team yet to the team `teamId`; returns the manager's id. */
async function joinSmallTeam(pool: pg.Pool, workspaceId: string, teamId: string): Promise<string> {
  const { rows } = await pool.query<{ manager_id: string }>(
    `INSERT INTO slack_user_group_members (group_id, manager_id)
     SELECT $1, id FROM managers m
      WHERE workspace_id = $2
        AND NOT EXISTS (SELECT 1 FROM slack_user_group_members g WHERE g.manager_id = m.id)
      ORDER BY id LIMIT 1
     RETURNING manager_id`,
    [teamId, workspaceId],
  );
  return String(rows[0]?.manager_id);
}

export async function runAnalyticsBench(
  scale: number,
  seconds: number,
  reuse?: string,
  /** Node flags for the api, e.g. a heap cap whose effect on the answers it keeps is wanted. */
  nodeOptions?: string,
): Promise<Row[]> {
  const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
  const defer = (name: string, run: () => Promise<unknown>) => cleanups.push({ name, run });
  const logger = createLogger({ level: 'warn', service: 'bench', destination: process.stderr });
  const managers = Math.max(10, Math.round(MANAGERS * scale));
  const rows: Row[] = [];
  try {
    const url: string = reuse ?? (await (await planDatabase(true, defer)).url());
    const pool = createPool(
      {
        connectionString: url,
        applicationName: 'blindspot-worker',
        max: 2,
        connectionTimeoutMillis: 30_000,
        idleTimeoutMillis: 30_000,
        // A day of activity is written into 15.6 million notes at full size (by local date, which
        // no index serves): minutes, not the seconds a request gets.
        statementTimeoutMs: 600_000,
        idleInTransactionTimeoutMs: 600_000,
      },
      logger,
    );
    defer('pool', () => pool.end());
    const db = createDatabase(pool);
    // The refreshes run on a clock of their own, minutes apart, from now: the worker's ticks.
    const start = Date.now();
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    let data: GeneratedData;
    let full: { ms: number; value: RefreshResult } | undefined;
    // Data written by an older checkout may lack the newer tables (the teams').
    await migrate(pool, logger);
    if (reuse) {
      data = await readGeneratedData(pool);
      log(`reusing ${data.deliveries} notes in the given database`);
      await benchTeams(pool, data.workspaceId);
      await refreshAnalytics(db, at(0));
    } else {
      const written = await timed(() => generateAnalyticsData(pool, { managers, days: DAYS }));
      data = written.value;
      log(
        `${managers} managers × ${DAYS} days: ${data.deliveries} notes in ${Math.round(written.ms)} ms`,
      );
      await benchTeams(pool, data.workspaceId);
      full = await timed(() => refreshAnalytics(db, at(0)));
      log(`first refresh: ${Math.round(full.ms)} ms, ${full.value.touchedDays} manager-days`);
    }
    // Past the refresh's overlap, so that this tick has nothing new to read.
    const idle = await timed(() => refreshAnalytics(db, at(6)));
    // A day of activity: every note of the last note day changed after the watermark, as if
    // sent and acted on since the last tick.
    const lastNoteDay = await pool.query<{ day: string }>(
      "SELECT to_char(max(local_date), 'YYYY-MM-DD') AS day FROM deliveries",
    );
    const day = String(lastNoteDay.rows[0]?.day);
    const touched = await pool.query(
      'UPDATE deliveries SET updated_at = $2 WHERE local_date = $1::date',
      [day, at(7)],
    );
    const daily = await timed(() => refreshAnalytics(db, at(8)));
    log(`a day's refresh (${touched.rowCount} notes of ${day}): ${Math.round(daily.ms)} ms`);
    // A sync that moves one manager into the 1% team: every week's atom cells are recounted.
    const teams = await benchTeams(pool, data.workspaceId);
    const moved = await joinSmallTeam(pool, data.workspaceId, String(teams[0]?.id));
    const membership = await timed(() => refreshAnalytics(db, at(10)));
    log(
      `refresh after a membership change: ${Math.round(membership.ms)} ms, ${membership.value.atomWeekCells} atom week cells written`,
    );
    // Back as it was, so that a later run on the same data starts from the same teams.
    await pool.query(
      'DELETE FROM slack_user_group_members WHERE group_id = $1 AND manager_id = $2',
      [teams[0]?.id, moved],
    );
    await refreshAnalytics(db, at(12));
    await pool.query('ANALYZE');

    rows.push(
      {
        scenario: `analytics refresh, ${data.managers.toLocaleString('en-US')} managers × ${DAYS} days (${data.deliveries.toLocaleString('en-US')} notes)`,
        figure: full
          ? `first run, whole history (${full.value.touchedDays.toLocaleString('en-US')} manager-days)`
          : 'first run: see the run that wrote the data (reused)',
        ...(full ? { value: full.ms, unit: 'ms' as const } : { text: '—' }),
      },
      { figure: 'a tick with nothing new', value: idle.ms, unit: 'ms' },
      {
        figure: `after a day of activity (${(touched.rowCount ?? 0).toLocaleString('en-US')} notes)`,
        value: daily.ms,
        unit: 'ms',
      },
      {
        figure: `after a team's members changed (every week's atom cells: ${membership.value.atomWeekCells.toLocaleString('en-US')} written)`,
        value: membership.ms,
        unit: 'ms',
      },
    );

    const key = `bsk_bench_${randomBytes(24).toString('hex')}`;
    const api = await startServiceProcess(
      {
        repoRoot: REPO_ROOT,
        slackApiUrl: 'http://127.0.0.1:9/api/',
        slackBotToken: 'xoxb-bench-0000000000-analytics',
        slackSigningSecret: randomBytes(16).toString('hex'),
        apiServiceToken: randomBytes(24).toString('hex'),
        apiSigningSecret: randomBytes(24).toString('hex'),
        nodeOptions,
      },
      'api',
      'src/entrypoints/api.ts',
      {
        DATABASE_URL: url,
        ADMIN_API_KEY: key,
        // One client address reads every endpoint for minutes: more than a person's 600 a minute.
        API_RATE_LIMIT_PER_MINUTE: '0',
      },
      false,
      defer,
    );
    const headers = { authorization: `Bearer ${key}` };
    const year = `from=${data.from}&to=${data.to}`;
    const family = data.families[0] ?? '';
    const reads: Array<[string, string]> = [
      ['engagement, a year', `/api/v1/admin/analytics/engagement?${year}`],
      [
        'engagement, a year, one family',
        `/api/v1/admin/analytics/engagement?${year}&family=${family}`,
      ],
      ['topics, a year', `/api/v1/admin/analytics/topics?${year}`],
      ['topics, a year, CSV', `/api/v1/admin/analytics/topics?${year}&format=csv`],
      ['delivery health, a year', `/api/v1/admin/analytics/delivery-health?${year}`],
      ['activity, a year', `/api/v1/admin/analytics/activity?${year}`],
      ['engagement, default 12 weeks', '/api/v1/admin/analytics/engagement'],
      ...teams.flatMap(
        ({ name, id }): Array<[string, string]> => [
          [`engagement, a year, ${name}`, `/api/v1/admin/analytics/engagement?${year}&team=${id}`],
          [`topics, a year, ${name}`, `/api/v1/admin/analytics/topics?${year}&team=${id}`],
          [
            `delivery health, a year, ${name}`,
            `/api/v1/admin/analytics/delivery-health?${year}&team=${id}`,
          ],
          [`activity, a year, ${name}`, `/api/v1/admin/analytics/activity?${year}&team=${id}`],
        ],
      ),
    ];
    const load = (route: string) =>
      runLoad({
        url: api.url,
        path: route,
        headers,
        rate: RATE,
        durationSeconds: seconds,
        connections: CONNECTIONS,
      });
    // Warm both paths once, so neither figure carries the first request's compile.
    await load('/healthz');
    for (const [, route] of reads) {
      const answer = await fetch(`${api.url}${route}`, { headers });
      if (!answer.ok) throw new Error(`${route} answered ${answer.status}: ${await answer.text()}`);
    }
    const baseline = summarise(await load('/healthz'));
    log(`baseline /healthz: p99 ${baseline.p99.toFixed(1)} ms`);
    let first = true;
    for (const [name, route] of reads) {
      const result = summarise(await load(route));
      log(
        `${name}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, non-2xx ${result.non2xx}`,
      );
      rows.push({
        ...(first
          ? { scenario: `analytics reads at ${RATE} req/s, ${seconds} s each, as an API key` }
          : {}),
        figure: `${name}: p99 (p50 ${result.p50.toFixed(1)} ms${result.non2xx + result.unanswered > 0 ? `, ${result.non2xx + result.unanswered} failed` : ''})`,
        value: result.p99,
        unit: 'ms',
        baseline: baseline.p99,
        baselineName: '/healthz p99',
        target: `< ${TARGET_MS} ms`,
        met: result.p99 < TARGET_MS && result.non2xx + result.unanswered === 0,
      });
      first = false;
    }
    // After its first, each read above was an answer the api kept (read-cache.ts) until a
    // refresh changes a summary row. The first read after such a refresh recounts: timed here,
    // one read at a time, each right after the version moved on as a refresh moves it.
    first = true;
    for (const [name, route] of reads) {
      const latencies: number[] = [];
      for (let read = 0; read < COLD_READS; read++) {
        await pool.query(
          "UPDATE analytics_refresh_state SET cells_version = cells_version + 1 WHERE name = 'analytics'",
        );
        const started = performance.now();
        const answer = await fetch(`${api.url}${route}`, { headers });
        await answer.arrayBuffer();
        if (!answer.ok) throw new Error(`${route} answered ${answer.status}`);
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      const [p50, max] = [latencies[Math.floor(latencies.length / 2)] ?? 0, latencies.at(-1) ?? 0];
      log(
        `${name}, first read after a refresh: p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
      );
      rows.push({
        ...(first
          ? {
              scenario: `analytics reads, each the first after a refresh changed the summaries (${COLD_READS} one at a time)`,
            }
          : {}),
        figure: `${name}: slowest (p50 ${p50.toFixed(1)} ms)`,
        value: max,
        unit: 'ms',
        target: `< ${TARGET_MS} ms`,
        met: max < TARGET_MS,
      });
      first = false;
    }
    // The answers the api keeps (read-cache.ts) are its largest live state: what they cost.
    const [memory, peak] = await Promise.all([api.memory(), api.peakRssBytes()]);
    rows.push({
      scenario: `the api after every read above${nodeOptions ? ` (node ${nodeOptions})` : ''}`,
      figure: 'peak RSS (VmHWM); V8 heap used / total at the end',
      value: Number.NaN,
      text: `${megabytes(peak)}; ${megabytes(memory.heapUsed)} / ${megabytes(memory.heapTotal)}`,
    });
    return rows;
  } finally {
    for (const step of cleanups.reverse()) {
      await step
        .run()
        .catch((error: Error) => log(`cleanup "${step.name}" failed: ${error.message}`));
    }
  }
}

/** `npm run bench -- --only analytics` comes here too, with the bench's flags. */
export async function analyticsBenchMain(flags: AnalyticsFlags, seconds = 15): Promise<void> {
  const scale = scaleFlag(flags['analytics-scale']);
  const rows = await runAnalyticsBench(
    scale,
    seconds,
    flags['analytics-database'],
    flags['node-options'],
  );
  const note = scale === 1 ? '' : `Analytics bench at scale ${scale}: not the target's sizes.\n\n`;
  process.stdout.write(`\n${note}${renderTable(rows)}\n`);
}

export interface AnalyticsFlags {
  'analytics-scale'?: string;
  'analytics-database'?: string;
  'node-options'?: string;
}

if (import.meta.main) {
  const string = { type: 'string' } as const;
  const { values } = parseArgs({ options: { scale: string, seconds: string, database: string } });
  const flags = { 'analytics-scale': values.scale, 'analytics-database': values.database };
  await analyticsBenchMain(flags, values.seconds ? Number(values.seconds) : 15);
}
