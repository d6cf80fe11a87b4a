/**
 * Errors of the database layer that other layers recognise. Kept apart from pool.ts so that a
 * process without a database (the bot) can handle them without loading pg.
 */

/** Raised when no connection is free within connectionTimeoutMillis. The API answers 503. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is busy or unreachable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}
