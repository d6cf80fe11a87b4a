/**
 * What every analytics answer shares: the query and the answer's description of itself, the
 * read transaction under its time limit, and the checks of the family and team filters.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError, invalid } from '../errors.ts';
import { selectFamilies } from './repositories/reads.ts';
import { limitStatementTime } from './repositories/statement-time.ts';
import { findTeam } from './repositories/team-reads.ts';
import { type DateRange, isoDate } from './rules.ts';

/**
 * Every analytics query runs under this statement_timeout (or the request's deadline, if
 * sooner): reading summary tables takes milliseconds, so a query still running after a second
 * is refused with a clear message rather than allowed to hold a connection.
 */
export const ANALYTICS_STATEMENT_TIMEOUT_MS = 1_000;
/** PostgreSQL's query_canceled. */
const QUERY_CANCELED = '57014';

export interface AnalyticsQuery {
  from?: string;
  to?: string;
  family?: string;
  /** An analytics team (a chosen Slack user group), by id: ../user-groups/service.ts. */
  team?: string;
}

/** What every answer says about itself: the range served (whole weeks where weekly) and k. */
export interface AnalyticsMeta {
  from: string;
  to: string;
  family: string | null;
  team: string | null;
  minGroup: number;
}

export async function read<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>) {
  try {
    // One snapshot for every statement: the team filter subtracts one read from another.
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await limitStatementTime(trx, ANALYTICS_STATEMENT_TIMEOUT_MS);
        return work(trx);
      });
  } catch (error) {
    if ((error as { code?: string }).code === QUERY_CANCELED) {
      throw new AppError(
        'analytics_too_slow',
        'This analytics query took too long and was stopped. Try a shorter date range.',
        503,
        { cause: error, retryAfterSeconds: 5 },
      );
    }
    throw error;
  }
}

export async function checkFamily(db: Kysely<Database>, family: string | undefined) {
  if (family === undefined) return;
  if (!(await selectFamilies(db)).includes(family)) {
    throw invalid('unknown_category', `No topic has the family "${family}".`, { family });
  }
}

/**
 * A team filter must name a chosen team of at least k managers: a smaller one could only ever
 * read "fewer than k", and is left out of ./team-filter.ts's atoms.
 */
export async function checkTeam(db: Kysely<Database>, team: string | undefined, k: number) {
  if (team === undefined) return;
  const found = await findTeam(db, team);
  if (!found) throw invalid('unknown_team', `No analytics team has the id "${team}".`, { team });
  if (found.managers < k) {
    throw invalid(
      'team_too_small',
      `The team "${found.name}" has fewer than ${k} managers signed up: its numbers would ` +
        'single them out, so it cannot be used as a filter.',
      { team },
    );
  }
}

export function meta(range: DateRange, query: AnalyticsQuery, k: number): AnalyticsMeta {
  return {
    from: isoDate(range.from),
    to: isoDate(range.to),
    family: query.family ?? null,
    team: query.team ?? null,
    minGroup: k,
  };
}

/** What an answer depends on besides the summary tables, for ./read-cache.ts. */
export function cacheKey(
  answer: string,
  range: DateRange,
  query: AnalyticsQuery,
  k: number,
): string {
  return JSON.stringify([
    answer,
    isoDate(range.from),
    isoDate(range.to),
    query.family ?? null,
    query.team ?? null,
    k,
  ]);
}
