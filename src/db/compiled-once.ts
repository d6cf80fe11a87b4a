/**
 * A query of fixed shape, built and compiled by Kysely once per process; each run puts its
 * arguments where the placeholders were. Building and compiling took 104 µs for the Home tab's
 * lists and 33 µs for an action-item list on every request, with the garbage of Kysely's frozen
 * trees (docs/performance.md, "A Home click in three statements"). PostgreSQL sees the same text
 * and parameters as before.
 *
 * An argument may go only where Kysely keeps a value as one parameter (`where(col, '=', x)`,
 * `limit(x)`, `sql\`${x}\``), not where it changes the query's text: an array expanded by `in`,
 * `sql.lit`, a branch taken on its value. A placeholder missing from the parameters fails at
 * the first run; one whose place changes the text is caught by comparing against Kysely's own
 * compilation (`compileAfresh`), as test/db/compiled-once.test.ts does for each of them.
 */
import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import type { Executor } from './executor.ts';
import { prepareAs } from './prepared-statements.ts';

/** Stands for the nth argument while the query is built, found again among the parameters. */
class Placeholder {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

interface Template<Row> {
  compiled: CompiledQuery<Row>;
  /** For each parameter, the argument it takes, or undefined for a constant of the query. */
  slots: ReadonlyArray<number | undefined>;
}

export interface CompiledOnce<Args extends unknown[], Row> {
  /** Runs the query with these arguments; its rows. */
  (db: Executor, ...args: Args): Promise<Row[]>;
  /** What runs: the compiled template with these arguments in place. */
  compile(db: Executor, ...args: Args): CompiledQuery<Row>;
  /** What Kysely itself compiles from these arguments: `compile` must equal it (tests). */
  compileAfresh(db: Executor, ...args: Args): CompiledQuery<Row>;
}

/**
 * `build` is called once, with a placeholder for each argument it declares after the database.
 * Every database the query runs on must use the same dialect (all of ours are PostgreSQL's).
 */
export function compiledOnce<Args extends unknown[], Row>(
  build: (db: Executor, ...args: Args) => Compilable<Row>,
): CompiledOnce<Args, Row> {
  let template: Template<Row> | undefined;
  const compile = (db: Executor, ...args: Args): CompiledQuery<Row> => {
    template ??= compileTemplate(db, build);
    const { compiled, slots } = template;
    return {
      ...compiled,
      parameters: compiled.parameters.map((value, i) => {
        const slot = slots[i];
        return slot === undefined ? value : args[slot];
      }),
      queryId: createQueryId(),
    };
  };
  const run = async (db: Executor, ...args: Args) =>
    (await db.executeQuery(compile(db, ...args))).rows;
  const compileAfresh = (db: Executor, ...args: Args) => build(db, ...args).compile();
  return Object.assign(run, { compile, compileAfresh });
}

function compileTemplate<Args extends unknown[], Row>(
  db: Executor,
  build: (db: Executor, ...args: Args) => Compilable<Row>,
): Template<Row> {
  const placeholders = Array.from({ length: build.length - 1 }, (_, i) => new Placeholder(i));
  let compiled: CompiledQuery<Row>;
  try {
    compiled = build(db, ...(placeholders as unknown as Args)).compile();
  } catch (error) {
    // Kysely writes some values into the text itself (sql.lit): no placeholder can stand there.
    throw new Error('an argument of a compiled-once query is not one of its parameters', {
      cause: error,
    });
  }
  const slots = compiled.parameters.map((value) =>
    value instanceof Placeholder ? value.index : undefined,
  );
  for (const placeholder of placeholders) {
    if (!slots.includes(placeholder.index)) {
      throw new Error(
        `argument ${placeholder.index} of a compiled-once query is not one of its parameters`,
      );
    }
  }
  // Its text never changes: PostgreSQL can keep it prepared (./prepared-statements.ts).
  prepareAs(compiled.sql);
  return { compiled, slots };
}
