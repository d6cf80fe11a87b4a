import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What src/api/app.ts hands every route file; a file that counts metrics is given its own too. */
export interface RouteDependencies {
  db: Kysely<Database>;
  /** The token the bot presents; see ./plugins/authenticate.ts. */
  serviceToken: string;
  /** The clock every time-dependent rule reads; tests inject their own. */
  now: () => Date;
}
