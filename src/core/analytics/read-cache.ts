/**
 * Analytics answers kept between reads until the summary tables change. Every number an
 * analytics endpoint serves comes from tables only the worker's refresh writes, and the refresh
 * moves a version on whenever it changes one of them (./refresh.ts). So an answer computed from
 * one version stays right for every later read that sees the same version: a dashboard opened
 * by several admins, a CSV download of the table on screen, or a script polling, costs one
 * recount per refresh rather than one per read. A year's topics for a team reads about 7,500
 * summary rows and weighs them week by week (./team-filter.ts); served again, it reads one.
 *
 * Per database (a process may hold several, as the tests do), in memory, a few dozen answers,
 * least recently used first out. Replicas each keep their own; none can serve another
 * version's answer, since the version is read in the same snapshot as the tables would be.
 * Cached values are shared between reads: callers must not change them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { selectCellsVersion } from './repositories/reads.ts';

/** Answers kept per database; each is a few kilobytes (a year of weeks, or of topics). */
export const READ_CACHE_ENTRIES = 64;

const caches = new WeakMap<Kysely<Database>, Map<string, unknown>>();

/**
 * `compute()`'s answer for `key`, computed in `trx` (a read of `db`) unless the same key was
 * answered from the same version of the summary tables. `key` names everything the answer
 * depends on besides the summary tables: the endpoint, the range, the filters and k.
 */
export async function cachedRead<T>(
  db: Kysely<Database>,
  trx: Kysely<Database>,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const versioned = `${await selectCellsVersion(trx)}\n${key}`;
  if (cache.has(versioned)) {
    const kept = cache.get(versioned) as T;
    // Read again: to the back of the queue (a Map keeps insertion order).
    cache.delete(versioned);
    cache.set(versioned, kept);
    return kept;
  }
  const value = await compute();
  cache.set(versioned, value);
  for (const oldest of cache.keys()) {
    if (cache.size <= READ_CACHE_ENTRIES) break;
    cache.delete(oldest);
  }
  return value;
}
