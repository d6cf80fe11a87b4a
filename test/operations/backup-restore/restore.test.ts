/**
 * A restore (scripts/restore): into an empty database it brings back every row, sequence,
 * index, constraint, owner and grant, and a database each service role can use; every way it
 * can go wrong or be refused leaves the database as it was.
 * The world it works on: test/support/backup-fixture.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createActionItem } from '../../../src/core/action-items/service.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createDatabase } from '../../../src/db/pool.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { type Roles, setUpBackupFixture, TRICKY_TEXTS } from '../../support/backup-fixture.ts';
import type { TestDatabase } from '../../support/database.ts';
import { snapshot } from '../../support/database-snapshot.ts';
import type { DumpableServer } from '../../support/dumpable-postgres.ts';
import { createWorkspace } from '../../support/factories.ts';

const fixture = setUpBackupFixture();
const { restore, newDatabase, grantAsTheDeploymentDoes, as } = fixture;
let server: DumpableServer;
let source: TestDatabase;
let roles: Roles;
let work: string;
let archive: string;

beforeAll(() => {
  ({ server, source, roles, work, archive } = fixture);
});

describe('a restore', () => {
  it('into an empty database brings back every row, sequence, index, constraint, owner and grant', async () => {
    const target = await newDatabase({ migrated: false });
    await grantAsTheDeploymentDoes(target);

    const run = await restore(target.url, [archive]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Row counts match the archive.');
    expect(run.stdout).toContain('Migrations are current for this checkout.');
    const [expected, actual] = [await snapshot(source.url), await snapshot(target.url)];
    expect(Object.keys(actual.tables)).toContain('graphile_worker._private_jobs');
    expect(actual.tables['public.action_items']?.rows).toBe(TRICKY_TEXTS.length + 1);
    expect(actual.tables['graphile_worker._private_jobs']?.rows).toBe(2);
    expect(actual.access).toContainEqual(
      expect.stringMatching(
        new RegExp(`^public\\.action_items r ${roles.owner} .*${roles.app}=arwd`),
      ),
    );
    expect(actual.access).toContainEqual(
      expect.stringMatching(
        new RegExp(`^graphile_worker\\._private_jobs r ${roles.worker} .* rls=true$`),
      ),
    );
    expect(actual).toEqual(expected);
  });

  it('leaves a database each service role can use as before, with ids after the old ones', async () => {
    const target = await newDatabase({ migrated: false });
    await grantAsTheDeploymentDoes(target);
    expect((await restore(target.url, [archive])).code).toBe(0);
    const pools = {
      owner: new pg.Pool({ connectionString: as(roles.owner, target), max: 1 }),
      app: new pg.Pool({ connectionString: as(roles.app, target), max: 1 }),
      worker: new pg.Pool({ connectionString: as(roles.worker, target), max: 1 }),
    };
    try {
      const applied = await migrate(
        pools.owner,
        createLogger({ level: 'silent', service: 'test' }),
      );
      const { rows } = await pools.app.query<{ slack_team_id: string; slack_user_id: string }>(
        `SELECT w.slack_team_id, m.slack_user_id FROM managers m
         JOIN workspaces w ON w.id = m.workspace_id ORDER BY m.id LIMIT 1`,
      );
      const who = {
        slackTeamId: String(rows[0]?.slack_team_id),
        slackUserId: String(rows[0]?.slack_user_id),
      };
      // The api's role, through the business layer, as the api writes.
      const { item } = await createActionItem(
        createDatabase(pools.app),
        who,
        { text: 'Written after the restore', source: 'api' },
        new Date('2026-11-26T09:00:00Z'),
      );
      const { rows: before } = await source.pool.query<{ max: string }>(
        "SELECT pg_sequence_last_value('action_items_id_seq')::text AS max",
      );
      const jobs = await pools.worker.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM graphile_worker.jobs',
      );

      expect(applied).toEqual([]);
      expect(BigInt(item.id)).toBe(BigInt(String(before[0]?.max)) + 1n);
      expect(jobs.rows[0]?.n).toBe(2);
      // Least privilege survives too: the api's role still cannot read the job queue.
      await expect(pools.app.query('SELECT count(*) FROM graphile_worker.jobs')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await Promise.all(Object.values(pools).map((pool) => pool.end()));
    }
  });

  it('with --no-owner, for a server without those roles, makes the restoring user own everything', async () => {
    const target = await newDatabase({ migrated: false });

    const run = await restore(target.url, ['--no-owner', archive]);

    expect(run.code, run.stderr).toBe(0);
    const [expected, actual] = [await snapshot(source.url), await snapshot(target.url)];
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.sequences).toEqual(expected.sequences);
    const superuser = decodeURIComponent(new URL(server.adminUrl).username || 'postgres');
    for (const line of actual.access) expect(line.split(' ')[2]).toBe(superuser);
  });

  it('into a database with tables refuses without --yes, and changes nothing', async () => {
    const target = await newDatabase();
    await createWorkspace(target.db);
    const before = await snapshot(target.url);

    const run = await restore(target.url, [archive]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/already has \d+ tables .* Run again with --yes/);
    expect(await snapshot(target.url)).toEqual(before);
  });

  it('with --yes replaces what the database held with the backup', async () => {
    const target = await newDatabase();
    await createWorkspace(target.db);

    const run = await restore(target.url, ['--yes', archive]);

    expect(run.code, run.stderr).toBe(0);
    expect(await snapshot(target.url)).toEqual(await snapshot(source.url));
  });

  it.each([
    ['cut short at the end, past its table of contents', 'damaged: it does not read back'],
    ['not an archive at all', 'is not a readable pg_dump archive'],
  ])('of a file %s fails with a clear message and touches nothing', async (kind, message) => {
    const bytes = await readFile(archive);
    const broken = path.join(work, `broken-${message.length}.dump`);
    await writeFile(
      broken,
      kind.startsWith('cut') ? bytes.subarray(0, bytes.length - 200) : 'not a dump\n',
    );
    const target = await newDatabase();
    await createWorkspace(target.db);
    const before = await snapshot(target.url);

    const run = await restore(target.url, ['--yes', broken]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('the database was not touched');
    expect(await snapshot(target.url)).toEqual(before);
  });

  it('that fails part-way rolls back entirely: the drops too', async () => {
    const target = await newDatabase();
    await createWorkspace(target.db);
    // A view the archive does not know: dropping workspaces, which it reads, fails mid-restore.
    await target.pool.query('CREATE VIEW workspace_names AS SELECT slack_team_id FROM workspaces');
    const before = await snapshot(target.url);

    const run = await restore(target.url, ['--yes', archive]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('the transaction was rolled back');
    expect(await snapshot(target.url)).toEqual(before);
  });

  it('refuses while Blindspot is connected to the database', async () => {
    const target = await newDatabase();
    const worker = new pg.Client({
      connectionString: target.url,
      application_name: 'blindspot-worker',
    });
    await worker.connect();
    try {
      const before = await snapshot(target.url);

      const run = await restore(target.url, ['--yes', archive]);

      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('Blindspot is connected to');
      expect(run.stderr).toContain('blindspot-worker x1');
      expect(await snapshot(target.url)).toEqual(before);
    } finally {
      await worker.end();
    }
  });

  it('refuses a database with tables the backup lacks, which --clean would leave behind', async () => {
    const target = await newDatabase();
    await target.pool.query('CREATE TABLE from_a_later_migration (id int)');
    const before = await snapshot(target.url);

    const run = await restore(target.url, ['--yes', archive]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('tables the archive does not: public.from_a_later_migration');
    expect(await snapshot(target.url)).toEqual(before);
  });
});
