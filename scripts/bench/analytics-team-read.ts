/**
 * Where a team's topics read spends its time when it recounts (the first read after a refresh,
 * which src/core/analytics/read-cache.ts cannot answer): each statement on the server, the same
 * statement through the pg driver with and without parsing its rows, and the release rule's
 * arithmetic (src/core/analytics/team-filter.ts), each over many calls in one process.
 *
 *   DATABASE_URL=postgres://…/an1k node scripts/bench/analytics-team-read.ts [--calls 200]
 *
 * Reads data written by ./analytics-data.ts, with the two teams ./analytics.ts adds (run the
 * analytics bench on the database once first). Prints the median and p90 of each step, per team,
 * for a year of weeks at levels 0–2, as the topics endpoint reads them.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { selectWeekCells } from '../../src/core/analytics/repositories/reads.ts';
import { selectAtomWeekCells } from '../../src/core/analytics/repositories/team-reads.ts';
import { treesOf } from '../../src/core/analytics/rules.ts';
import { topics } from '../../src/core/analytics/service.ts';
import { teamWeekViews } from '../../src/core/analytics/team-filter.ts';
import { createDatabase } from '../../src/db/pool.ts';
import type { Database } from '../../src/db/schema.ts';

const LEVELS = [0, 1, 2];
const K = 5;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

/** Rows as the server sent them, as text: what the statement costs without the driver's parse. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' } } });
  const calls = Number(values.calls);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a database written by analytics-data.ts.');
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'blindspot-bench' });
  // Writes down each statement the reads send, to time it again on its own.
  const statements: CompiledQuery[] = [];
  const recording = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query);
    },
  });
  try {
    const span = await pool.query<{ from: string; to: string }>(
      `SELECT to_char(min(week), 'YYYY-MM-DD') AS from, to_char(max(week) + 6, 'YYYY-MM-DD') AS to
         FROM analytics_week_cells`,
    );
    const { from, to } = span.rows[0] ?? { from: '', to: '' };
    const teams = await pool.query<{ id: string; handle: string }>(
      "SELECT id::text, handle FROM slack_user_groups WHERE handle LIKE 'bench-team-%' ORDER BY id",
    );
    if (teams.rows.length === 0) throw new Error('no bench teams: run the analytics bench once');
    for (const team of teams.rows) {
      const timings = new Map<string, number[]>();
      const time = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
        const started = performance.now();
        const value = await run();
        const list = timings.get(name) ?? [];
        list.push(performance.now() - started);
        timings.set(name, list);
        return value;
      };
      statements.length = 0;
      const whole = await selectWeekCells(recording, from, to, LEVELS);
      const atoms = await selectAtomWeekCells(recording, from, to, K, LEVELS);
      const [wholeSql, atomSql] = statements;
      if (!wholeSql || !atomSql) throw new Error('the reads sent no statement');
      const onServer = async (name: string, query: CompiledQuery) => {
        const { rows } = await pool.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`,
          [...query.parameters],
        );
        const list = timings.get(name) ?? [];
        list.push(rows[0]?.['QUERY PLAN'][0]['Execution Time'] ?? Number.NaN);
        timings.set(name, list);
      };
      const raw = (query: CompiledQuery) =>
        pool.query({ text: query.sql, values: [...query.parameters], types: RAW_TEXT });
      for (let call = 0; call < calls; call++) {
        await onServer('unfiltered cells: on the server', wholeSql);
        await time('unfiltered cells: round trip, rows as text', () => raw(wholeSql));
        await time('unfiltered cells: selectWeekCells', () =>
          selectWeekCells(recording, from, to, LEVELS),
        );
        await onServer('atom cells: on the server', atomSql);
        await time('atom cells: round trip, rows as text', () => raw(atomSql));
        await time('atom cells: selectAtomWeekCells', () =>
          selectAtomWeekCells(recording, from, to, K, LEVELS),
        );
        await time('treesOf + teamWeekViews', () =>
          teamWeekViews(treesOf(whole), atoms, team.id, LEVELS, K),
        );
        // A new Kysely each call: the answers kept per database (read-cache.ts) start empty.
        await time('topics(), the whole recount', () =>
          topics(createDatabase(pool), { from, to, team: team.id }, new Date(to), K),
        );
      }
      process.stdout.write(
        `team ${team.handle} (${team.id}), ${from}..${to}, ${whole.length} unfiltered + ${atoms.length} atom rows, ${calls} calls\n`,
      );
      for (const [name, list] of timings) {
        list.sort((a, b) => a - b);
        process.stdout.write(
          `  ${name}: median ${quantile(list, 0.5).toFixed(1)} ms, p90 ${quantile(list, 0.9).toFixed(1)} ms\n`,
        );
      }
    }
  } finally {
    await recording.destroy();
  }
}

if (import.meta.main) await main();
