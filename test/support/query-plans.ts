/**
 * Reading query plans for test/db/query-plans/.
 *
 * Most plans are those of the SQL the services really send. A scenario runs service functions
 * against the big database through a Kysely instance that records every statement, and each
 * distinct statement is then EXPLAINed with its own parameters: a query someone changes is checked
 * as changed, and a new query in those functions is checked without being listed in a test. Every
 * recorded statement must leave the big tables alone except through an index; the queries named in
 * each scenario must use the index written for them.
 */
import { type CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SlackIdentity } from '../../src/core/request-context.ts';
import type { Database } from '../../src/db/schema.ts';
import { createTestDatabase, recordingDatabase, type TestDatabase } from './database.ts';
import { createWorkspace, type TestWorkspace } from './factories.ts';
import { buildRealisticVolumes } from './realistic-volumes.ts';

/** Tables that grow with the number of managers: no query may read one of them whole. */
const BIG_TABLES = new Set([
  'managers',
  'subscriptions',
  'deliveries',
  'action_items',
  'reminders',
  'reminder_items',
  'responses',
  'topic_feedback',
]);

/**
 * Both partial indexes over deliveries hold only pending and claimed rows, a few hundred at any
 * time, so the planner may read unsent deliveries through either and the cost is the same.
 */
export const UNSENT_DELIVERIES = /^deliveries_unsent(_by_subscription)?$/;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

export interface ExplainedQuery {
  sql: string;
  /** Every node of the plan, subplans included, depth first. */
  nodes: PlanNode[];
}

export function describePlan(query: ExplainedQuery): string {
  const lines = query.nodes.map((node) =>
    [
      `  ${node['Node Type']}`,
      node['Index Name'] && ` using ${node['Index Name']}`,
      node['Relation Name'] && ` on ${node['Relation Name']}`,
      node['Index Cond'] && ` (${node['Index Cond']})`,
    ]
      .filter(Boolean)
      .join(''),
  );
  return [query.sql, ...lines].join('\n');
}

export function indexesOf(query: ExplainedQuery): string[] {
  return query.nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : []));
}

export function statementsContaining(
  queries: ExplainedQuery[],
  fragment: string,
): ExplainedQuery[] {
  const matching = queries.filter((query) => query.sql.includes(fragment));
  expect(matching, `a statement containing: ${fragment}`).not.toHaveLength(0);
  return matching;
}

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

/**
 * Registers the calling test file's beforeAll, which builds its own big database (and
 * afterAll, which drops it), and hands back the database, its main workspace (read them once
 * the beforeAll has run) and the calls that read plans. Call it once, at the top of the file.
 */
export function setUpQueryPlans() {
  let database: TestDatabase;
  let main: TestWorkspace;
  /**
   * Partial indexes hold a slice of their table (unsent deliveries, open items), so a plan may
   * read one from end to end: its cost follows the slice, not the table.
   */
  let partialIndexes: Set<string>;
  /** What `traced` sent: emptied before each piece of work (plansOf). */
  let recorded: CompiledQuery[] = [];
  /** The services' database handle, with every statement it sends written down. */
  let traced: Kysely<Database>;

  async function explain(text: string, parameters: readonly unknown[]): Promise<ExplainedQuery> {
    const { rows } = await database.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      parameters as unknown[],
    );
    const nodes: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(node);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(must(rows[0], 'plan')['QUERY PLAN'][0].Plan);
    return { sql: text.replace(/\s+/g, ' ').trim(), nodes };
  }

  /** Runs `work` on the big database, then returns the plan of each distinct statement it sent. */
  async function plansOf(work: (db: Kysely<Database>) => Promise<unknown>) {
    recorded.length = 0;
    await work(traced);
    const distinct = new Map<string, readonly unknown[]>();
    for (const query of recorded) {
      // BEGIN, COMMIT and SET have no plan.
      if (!/^\s*(select|insert|update|delete|with)\b/i.test(query.sql)) continue;
      if (!distinct.has(query.sql)) distinct.set(query.sql, query.parameters);
    }
    const explained: ExplainedQuery[] = [];
    for (const [text, parameters] of distinct) explained.push(await explain(text, parameters));
    return explained;
  }

  /** Scans that read a big table whole: sequentially, or through a full index without a condition. */
  function fullScansOf(query: ExplainedQuery): string[] {
    return query.nodes
      .filter((node) => BIG_TABLES.has(String(node['Relation Name'])))
      .filter(
        (node) =>
          node['Node Type'] === 'Seq Scan' ||
          (/^Index (Only )?Scan$/.test(node['Node Type']) &&
            node['Index Cond'] === undefined &&
            !partialIndexes.has(String(node['Index Name']))),
      )
      .map((node) => `${node['Node Type']} on ${node['Relation Name']}`);
  }

  /**
   * No statement reads a big table whole, and each statement containing a fragment of SQL reads
   * through every index listed for it.
   */
  function expectPlans(
    queries: ExplainedQuery[],
    expected: Record<string, Array<string | RegExp>>,
  ): void {
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(fullScansOf(query), describePlan(query)).toEqual([]);
    for (const [fragment, indexes] of Object.entries(expected)) {
      for (const query of statementsContaining(queries, fragment)) {
        const used = indexesOf(query);
        for (const index of indexes) {
          const found =
            typeof index === 'string'
              ? used.includes(index)
              : used.some((name) => index.test(name));
          expect(found, `${index} expected in\n${describePlan(query)}`).toBe(true);
        }
      }
    }
  }

  /** A manager of the main workspace whose row (m) and subscription (s) match `condition`. */
  async function managerWhere(condition: RawBuilder<unknown>) {
    const manager = await firstRow(
      sql<{ id: string; slack_user_id: string }>`
        SELECT m.id, m.slack_user_id FROM managers m JOIN subscriptions s ON s.manager_id = m.id
        WHERE m.workspace_id = ${main.id} AND ${condition}
        ORDER BY m.id LIMIT 1`,
      'manager for the scenario',
    );
    const who: SlackIdentity = {
      slackTeamId: main.slackTeamId,
      slackUserId: manager.slack_user_id,
    };
    return { id: manager.id, who };
  }

  /** The first row of a query for a scenario's subject, which the data must hold. */
  async function firstRow<T>(query: RawBuilder<T>, what: string): Promise<T> {
    const { rows } = await query.execute(database.db);
    return must(rows[0], what);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    main = await createWorkspace(database.db, 'T0PLAN');
    const others = [];
    for (const team of ['T0PLAN2', 'T0PLAN3', 'T0PLAN4']) {
      others.push((await createWorkspace(database.db, team)).id);
    }
    await buildRealisticVolumes(database.db, main, others);
    const { rows } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indpred IS NOT NULL`.execute(database.db);
    partialIndexes = new Set(rows.map((row) => row.name));
    const recording = recordingDatabase(database.pool);
    traced = recording.db;
    recorded = recording.recorded;
  }, 90_000);

  afterAll(async () => {
    // Not traced.destroy(): it would end the pool, which drop() ends.
    await database?.drop();
  });

  return {
    get database() {
      return database;
    },
    get main() {
      return main;
    },
    explain,
    plansOf,
    expectPlans,
    managerWhere,
    firstRow,
  };
}
