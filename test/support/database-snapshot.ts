/**
 * Everything Blindspot keeps in a database, in a form two databases can be compared by: how
 * test/operations/backup-restore/ tells that a restore brought back what was backed up.
 */
import pg from 'pg';

export interface Snapshot {
  tables: Record<string, { rows: number; digest: string }>;
  sequences: Record<string, string | null>;
  indexes: string[];
  constraints: string[];
  functions: string[];
  views: string[];
  /** Every table, sequence and view: kind, owner, grants, row level security. */
  access: string[];
  schemas: string[];
  defaultPrivileges: string[];
}

/**
 * Everything Blindspot keeps, in both schemas: each table's row count and an md5 of its rows
 * in a fixed order, each sequence's position, the definitions of indexes, constraints,
 * functions and views, and who owns and may use each of them.
 */
export async function snapshot(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = ['public', 'graphile_worker'];
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) ORDER BY 1`,
      [schemas],
    );
    const result: Snapshot = {
      tables: {},
      sequences: {},
      indexes: [],
      constraints: [],
      functions: [],
      views: [],
      access: [],
      schemas: [],
      defaultPrivileges: [],
    };
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: number; digest: string }>(
        `SELECT count(*)::int AS rows,
                md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
         FROM ${name} t`,
      );
      result.tables[name] = rows[0] ?? { rows: -1, digest: '' };
    }
    const { rows: sequences } = await client.query<{ name: string; last: string | null }>(
      `SELECT schemaname || '.' || sequencename AS name, last_value::text AS last
       FROM pg_sequences WHERE schemaname = ANY($1) ORDER BY 1`,
      [schemas],
    );
    for (const { name, last } of sequences) result.sequences[name] = last;
    const list = async (query: string) =>
      (await client.query<{ d: string }>(query, [schemas])).rows.map((row) => row.d);
    result.indexes = await list(
      'SELECT indexdef AS d FROM pg_indexes WHERE schemaname = ANY($1) ORDER BY 1',
    );
    // Without brackets and spaces: a restored CHECK is parsed again, and deparses
    // `(a AND b) AND c` as `a AND b AND c`.
    result.constraints = await list(
      `SELECT conrelid::regclass || ' ' || conname || ' '
              || translate(pg_get_constraintdef(c.oid), '() ', '') AS d
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = ANY($1) ORDER BY 1`,
    );
    result.functions = await list(
      `SELECT p.oid::regprocedure || ' ' || pg_get_userbyid(p.proowner) || ' '
              || md5(pg_get_functiondef(p.oid)) AS d
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = ANY($1) AND p.prokind = 'f' ORDER BY 1`,
    );
    result.views = await list(
      `SELECT schemaname || '.' || viewname || ' ' || md5(definition) AS d
       FROM pg_views WHERE schemaname = ANY($1) ORDER BY 1`,
    );
    result.access = await list(
      `SELECT format('%I.%I', n.nspname, c.relname) || ' ' || c.relkind::text || ' '
              || pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, 'default')
              || ' rls=' || c.relrowsecurity AS d
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'S', 'v', 'm') ORDER BY 1`,
    );
    result.schemas = await list(
      `SELECT nspname || ' ' || pg_get_userbyid(nspowner) || ' '
              || coalesce(nspacl::text, 'default') AS d
       FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`,
    );
    result.defaultPrivileges = (
      await client.query<{ d: string }>(
        `SELECT pg_get_userbyid(defaclrole) || ' ' || coalesce(defaclnamespace::regnamespace::text, '-')
                || ' ' || defaclobjtype::text || ' ' || defaclacl::text AS d
         FROM pg_default_acl ORDER BY 1`,
      )
    ).rows.map((row) => row.d);
    return result;
  } finally {
    await client.end();
  }
}
