import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * What a repository function runs its queries on: the pool, or the transaction its caller
 * opened. Repositories take it as their first argument so a service decides the transaction.
 */
export type Executor = Kysely<Database> | Transaction<Database>;
