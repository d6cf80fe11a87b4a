/**
 * The business layer's house rules, checked on the source text: SQL lives in repositories,
 * the clock is injected, and core depends on db only. A failure names the file and the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** A repository is a `repository.ts`, or any file in a `repositories/` folder. */
function isRepository(file: string): boolean {
  return file.endsWith('/repository.ts') || file.includes('/repositories/');
}

/** Lines of `file` matching `pattern`, as "path:line: text", for a readable failure. */
function offending(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        pattern.test(line)
          ? [`${relative(ROOT, join(ROOT, file))}:${index + 1}: ${line.trim()}`]
          : [],
      ),
  );
}

const CORE = sourceFiles('src/core');
/** Every file under src/core and src/worker that is not a repository. */
const NOT_REPOSITORIES = [...CORE, ...sourceFiles('src/worker')].filter(
  (file) => !isRepository(file),
);

/** Kysely's `sql` imported as a value (a type-only import cannot build a query), over lines. */
const SQL_IMPORT = /import\s+\{[^}]*\bsql\b[^}]*\}\s+from\s+'kysely'/;
const QUERY_BUILDERS =
  /\.(selectFrom|updateTable|insertInto|deleteFrom|mergeInto)\(|\bsql(\.\w+)?`/;

describe('the business layer', () => {
  it('finds the files it checks', () => {
    expect(CORE.length).toBeGreaterThan(20);
    expect(NOT_REPOSITORIES).toContain('src/core/reminders/service.ts');
    expect(NOT_REPOSITORIES).not.toContain('src/core/ledger/repository.ts');
  });

  it('when a file outside a repository imports sql from kysely, then this fails', () => {
    const importing = NOT_REPOSITORIES.filter((file) =>
      SQL_IMPORT.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(importing).toEqual([]);
    // The rule itself catches what it must.
    expect(SQL_IMPORT.test("import { type Kysely, sql } from 'kysely';")).toBe(true);
    expect(SQL_IMPORT.test("import {\n  type Kysely,\n  sql,\n} from 'kysely';")).toBe(true);
    expect(SQL_IMPORT.test("import type { Kysely } from 'kysely';")).toBe(false);
  });

  it('when a file outside a repository builds a query, then this fails', () => {
    expect(offending(NOT_REPOSITORIES, QUERY_BUILDERS)).toEqual([]);
    for (const line of [
      "await trx.selectFrom('reminders')",
      ".updateTable('deliveries')",
      "db.insertInto('responses')",
      "trx.deleteFrom('action_items')",
      'await sql`SELECT 1`.execute(db)',
      'sql.raw`x`',
    ]) {
      expect(QUERY_BUILDERS.test(line), line).toBe(true);
    }
  });

  it('reads the time from its caller: no new Date() of its own', () => {
    expect(offending(CORE, /new Date\(\)/)).toEqual([]);
  });

  it('depends on db only, never on the layers above it', () => {
    const upward = /from\s+'(\.\.\/)+(api|bot|web|http|worker|entrypoints)\//;
    expect(offending(CORE, upward)).toEqual([]);
  });
});
