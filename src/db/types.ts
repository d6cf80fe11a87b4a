import pg from 'pg';

/**
 * pg turns `date` columns into JavaScript Dates at local midnight, which shifts the day in any
 * zone west of UTC. A local date is a calendar date, so keep it as its 'YYYY-MM-DD' text.
 * bigint ids stay strings (pg's default): they can exceed Number.MAX_SAFE_INTEGER.
 */
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value: string) => value);
