/**
 * scripts/backup and scripts/restore, run as an operator runs them, against real databases:
 * a seeded database, with the compose deployment's least-privilege roles, goes through a
 * backup file and comes back the same, table by table, row by row, with its sequences,
 * indexes, constraints, owners and grants. And every way it can go wrong leaves what was
 * there before: a failed dump deletes no backup, a refused or failed restore changes nothing,
 * and the password never shows.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerActionItem, reflectOnAnswer } from '../../src/core/action-items/responses.ts';
import { createActionItem, deleteActionItem } from '../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../src/core/deliveries/feedback.ts';
import {
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
} from '../../src/core/deliveries/service.ts';
import {
  claimReminders,
  confirmReminder,
  planDueReminders,
} from '../../src/core/reminders/service.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { TestDatabase } from '../support/database.ts';
import { type DumpableServer, startDumpableServer } from '../support/dumpable-postgres.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from '../support/factories.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BACKUP = path.join(ROOT, 'scripts/backup');
const RESTORE = path.join(ROOT, 'scripts/restore');
const ARCHIVE_NAME = /^blindspot-\d{8}T\d{6}Z\.dump$/;

/** Words managers really type: emoji, quotes, tabs, newlines, right-to-left scripts, backslashes. */
const TRICKY_TEXTS = [
  'Ask Priya for feedback 🙏🏽 before Friday\'s 1:1 — "no surprises"',
  'Delegate the release notes\nto Sam;\ttabs, a backslash \\ and a pipe | too',
  'לתת משוב חיובי לצוות בשבוע הבא',
  'اطلب رأي الفريق قبل الاجتماع 👩‍👩‍👧',
  'A line that ends a COPY block:\n\\.\nand one after it',
];

let server: DumpableServer;
/** The seeded database every backup is taken from. */
let source: TestDatabase;
let roles: Roles;
let work: string;
let backupDir: string;
/** The shims' folder: pg_dump, pg_restore and psql that log how they were called. */
let shims: string;
const created: TestDatabase[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
let firstBackup: Run;
let archive: string;

/** The database's URL with a password in it: the server's own, or one trust auth ignores. */
function withPassword(url: string): { url: string; password: string } {
  const parsed = new URL(url);
  if (parsed.password) return { url, password: decodeURIComponent(parsed.password) };
  const password = 'n0t-in-the-0utput/@:€%';
  parsed.username ||= 'postgres';
  parsed.password = encodeURIComponent(password);
  return { url: parsed.toString(), password };
}

/** Runs a script with only the environment it is given (and PATH, HOME). */
function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  pathPrefix?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      script,
      args,
      {
        cwd: work,
        env: {
          PATH: pathPrefix
            ? `${pathPrefix}${path.delimiter}${process.env.PATH}`
            : String(process.env.PATH),
          HOME: String(process.env.HOME ?? work),
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // As under cron: nothing on stdin.
    child.stdin?.end();
  });
}

function backup(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return runScript(BACKUP, args, env);
}

function restore(url: string, args: string[]): Promise<Run> {
  return runScript(RESTORE, args, { DATABASE_URL: withPassword(url).url });
}

/** File names, sizes and modification times: anything a script changed shows. */
async function listing(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const info = await stat(path.join(dir, name));
      return `${name} ${info.size} ${info.mtimeMs}`;
    }),
  );
}

async function newDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const database = await server.createDatabase(options);
  created.push(database);
  return database;
}

/**
 * The compose deployment's roles (config/postgres/init/10-blindspot-roles.sh): an owner that
 * runs the migrations, the api's and the worker's roles with grants only, the worker owning
 * graphile_worker. Named uniquely: roles belong to the whole server.
 */
interface Roles {
  owner: string;
  app: string;
  worker: string;
  password: string;
}

async function asSuperuser(database: string, sql: string): Promise<void> {
  const url = new URL(server.adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createRoles(): Promise<Roles> {
  const prefix = `blindspot_backup_${randomBytes(3).toString('hex')}`;
  const created = {
    owner: `${prefix}_owner`,
    app: `${prefix}_app`,
    worker: `${prefix}_worker`,
    password: randomBytes(12).toString('hex'),
  };
  await asSuperuser(
    'postgres',
    [created.owner, created.app, created.worker]
      .map((role) => `CREATE ROLE ${role} LOGIN PASSWORD '${created.password}';`)
      .join('\n'),
  );
  return created;
}

/** What the roles script does to the deployment's database when the server starts first. */
async function grantAsTheDeploymentDoes(database: TestDatabase): Promise<void> {
  const { owner, app, worker } = roles;
  await asSuperuser(
    database.name,
    `ALTER DATABASE ${database.name} OWNER TO ${owner};
     REVOKE ALL ON DATABASE ${database.name} FROM PUBLIC;
     GRANT CONNECT ON DATABASE ${database.name} TO ${app}, ${worker};
     GRANT CREATE ON DATABASE ${database.name} TO ${worker};
     GRANT USAGE ON SCHEMA public TO ${app}, ${worker};
     ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public
       GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}, ${worker};
     ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public
       GRANT USAGE, SELECT ON SEQUENCES TO ${app}, ${worker};`,
  );
}

/** The database's URL for one of the roles. */
function as(role: string, database: TestDatabase): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = roles.password;
  return url.toString();
}

interface Snapshot {
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
async function snapshot(url: string): Promise<Snapshot> {
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

let messages = 0;
function slackMessage(manager: TestSubscriber, now: Date) {
  messages += 1;
  return {
    channelId: `D${manager.who.slackUserId.slice(1)}`,
    ts: `${Math.floor(now.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
  };
}

/**
 * A database as the deployment has it: migrated by the owner role, graphile-worker's schema
 * installed by the worker role. Then two workspaces and managers in four time zones, all due
 * at 08:00 UTC on Monday 23 November 2026; their notes planned and mostly sent; action items
 * with tricky text, one deleted (a gap in the sequence), a topic marked not relevant; a
 * reminder sent and answered with a reflection; jobs waiting in graphile-worker's queue.
 */
async function seed(database: TestDatabase): Promise<void> {
  await grantAsTheDeploymentDoes(database);
  const ownerPool = new pg.Pool({ connectionString: as(roles.owner, database), max: 1 });
  try {
    await migrate(ownerPool, createLogger({ level: 'silent', service: 'test' }));
  } finally {
    await ownerPool.end();
  }
  const { db } = database;
  const signUp = new Date('2026-11-22T12:00:00Z');
  const [north, south] = [await createWorkspace(db), await createWorkspace(db)];
  const managers = [
    await createSubscriber(db, north, { timeZone: 'Europe/Berlin', localTime: '09:00' }, signUp),
    await createSubscriber(db, north, { timeZone: 'Asia/Tokyo', localTime: '17:00' }, signUp),
    await createSubscriber(db, south, { timeZone: 'America/New_York', localTime: '03:00' }, signUp),
    await createSubscriber(db, south, { timeZone: 'Asia/Tehran', localTime: '11:30' }, signUp),
  ];

  const due = new Date('2026-11-23T08:00:00Z');
  const planned = await planDueDeliveries(db, new Date(due.getTime() - 2 * 60_000));
  expect(planned.planned).toBe(managers.length);
  const sentAt = new Date(due.getTime() + 20_000);
  const { deliveries } = await claimDeliveries(db, sentAt, { limit: 10, leaseMs: 60_000 });
  // All sent but the last, which stays claimed under its lease.
  for (const delivery of deliveries.slice(0, -1)) {
    const manager = managers.find((m) => m.who.slackUserId === delivery.slackUserId);
    if (!manager) throw new Error('a delivery for no seeded manager');
    await confirmDelivery(db, delivery.id, slackMessage(manager, sentAt), sentAt);
  }

  const [berlin, tokyo, , tehran] = managers as [
    TestSubscriber,
    TestSubscriber,
    TestSubscriber,
    TestSubscriber,
  ];
  const later = new Date('2026-11-23T09:00:00Z');
  const items: string[] = [];
  for (const [i, text] of TRICKY_TEXTS.entries()) {
    const manager = managers[i % managers.length] as TestSubscriber;
    const delivery = deliveries.find((d) => d.slackUserId === manager.who.slackUserId);
    const { item } = await createActionItem(
      db,
      manager.who,
      {
        text,
        note: i === 1 ? 'Note with "quotes",\nnewlines and ✨' : undefined,
        checkBack: { in: '2d' },
        source: i % 2 === 0 ? 'modal' : 'thread',
        sourceKey: `seed-${i}`,
        deliveryId: delivery?.id,
      },
      later,
    );
    items.push(item.id);
  }
  await createActionItem(db, tokyo.who, { text: 'Gone tomorrow', source: 'api' }, later);
  const gone = await createActionItem(db, tokyo.who, { text: 'Deleted', source: 'dm' }, later);
  await deleteActionItem(db, tokyo.who, gone.item.id, later);
  const tehranDelivery = deliveries.find((d) => d.slackUserId === tehran.who.slackUserId);
  if (!tehranDelivery) throw new Error('no delivery for Tehran');
  await markTopicNotRelevant(db, tehran.who, tehranDelivery.topic.id, tehranDelivery.id);

  // Wednesday, two days on: Berlin's first item is due a check-back at 09:00 local.
  const checkBack = new Date('2026-11-25T07:58:00Z');
  const reminders = await planDueReminders(db, checkBack);
  expect(reminders.planned).toBeGreaterThan(0);
  const remindedAt = new Date('2026-11-25T08:00:30Z');
  const claimed = await claimReminders(db, remindedAt, { limit: 10, leaseMs: 60_000 });
  const berlinReminder = claimed.find((r) => r.slackUserId === berlin.who.slackUserId);
  if (!berlinReminder) throw new Error('no reminder for Berlin');
  await confirmReminder(db, berlinReminder.id, slackMessage(berlin, remindedAt), remindedAt);
  const answered = await answerActionItem(
    db,
    berlin.who,
    String(items[0]),
    { answer: 'partly', reminderId: berlinReminder.id },
    new Date('2026-11-25T10:00:00Z'),
  );
  await reflectOnAnswer(db, berlin.who, String(items[0]), answered.response.id, {
    reflection: 'עזר מאוד — "much" better 👍',
    usefulness: 4,
  });

  const utils = await makeWorkerUtils({ connectionString: as(roles.worker, database) });
  try {
    await utils.migrate();
    await utils.addJob('plan_deliveries', { requestId: 'req-1' });
    await utils.addJob(
      'send_digest',
      { text: TRICKY_TEXTS[1], nested: { rtl: TRICKY_TEXTS[2] } },
      { queueName: 'digests', jobKey: 'digest-2026-11-30', runAt: new Date('2030-01-01') },
    );
  } finally {
    await utils.release();
  }
}

/** pg_dump, pg_restore and psql that record their arguments and PGPASSWORD, then run the real one. */
async function writeShims(dir: string): Promise<void> {
  for (const program of ['pg_dump', 'pg_restore', 'psql']) {
    const real = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `command -v ${program}`], (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      ),
    );
    const file = path.join(dir, program);
    await writeFile(
      file,
      [
        '#!/usr/bin/env bash',
        `printf '%s\\n' "${program} $*" >>"${dir}/argv.log"`,
        `printf '%s\\n' "\${PGPASSWORD-}" >>"${dir}/pgpassword.log"`,
        `exec "${real}" "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(file, 0o755);
  }
}

beforeAll(async () => {
  server = await startDumpableServer();
  roles = await createRoles();
  source = await newDatabase({ migrated: false });
  await seed(source);
  work = await mkdtemp(path.join(tmpdir(), 'blindspot-backup-test-'));
  backupDir = path.join(work, 'backups');
  shims = path.join(work, 'shims');
  await mkdir(shims);
  await writeShims(shims);
  firstBackup = await runScript(
    BACKUP,
    [],
    { DATABASE_URL: withPassword(source.url).url, BACKUP_DIR: backupDir },
    shims,
  );
  archive = firstBackup.stdout.trim();
}, 120_000);

afterAll(async () => {
  for (const database of created) await database.drop();
  if (roles)
    await asSuperuser(
      'postgres',
      `DROP ROLE IF EXISTS ${roles.owner}, ${roles.app}, ${roles.worker}`,
    );
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a backup', () => {
  it(`is one checked pg_dump archive, readable by its owner only, whose path is printed`, async () => {
    expect(firstBackup.code, `${server.description}\n${firstBackup.stderr}`).toBe(0);
    expect(firstBackup.stderr).toMatch(/checked: \d+ tables, \d+ rows/);
    expect(path.dirname(archive)).toBe(backupDir);
    expect(path.basename(archive)).toMatch(ARCHIVE_NAME);
    expect(await readdir(backupDir)).toEqual([path.basename(archive)]);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
    expect((await readFile(archive)).subarray(0, 5).toString()).toBe('PGDMP');
  });

  it('keeps the newest BACKUP_KEEP archives, and never a file it did not name', async () => {
    const dir = path.join(work, 'rotation');
    await mkdir(dir);
    const old = [1, 2, 3, 4, 5].map((day) => `blindspot-2026010${day}T020000Z.dump`);
    for (const name of [...old, 'blindspot-before-upgrade.dump'])
      await copyFile(archive, path.join(dir, name));
    await writeFile(path.join(dir, 'notes.txt'), 'kept');

    const run = await backup({
      DATABASE_URL: withPassword(source.url).url,
      BACKUP_DIR: dir,
      BACKUP_KEEP: '3',
    });

    expect(run.code, run.stderr).toBe(0);
    const fresh = path.basename(run.stdout.trim());
    expect((await readdir(dir)).sort()).toEqual(
      [fresh, old[3], old[4], 'blindspot-before-upgrade.dump', 'notes.txt'].sort(),
    );
    expect(run.stderr).toContain(`rotated out ${old[0]}`);
  });

  it('that fails writes nothing, deletes nothing and leaves no partial file', async () => {
    const dir = path.join(work, 'failing');
    await mkdir(dir);
    for (const day of [1, 2, 3])
      await copyFile(archive, path.join(dir, `blindspot-2026020${day}T020000Z.dump`));
    const before = await listing(dir);
    const missing = new URL(withPassword(source.url).url);
    missing.pathname = '/blindspot_no_such_database';

    const run = await backup({
      DATABASE_URL: missing.toString(),
      BACKUP_DIR: dir,
      BACKUP_KEEP: '1',
    });

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('pg_dump failed: no backup written');
    expect(run.stdout).toBe('');
    expect(await listing(dir)).toEqual(before);
  });

  it('of a database without Blindspot in it does not count, so it rotates nothing out', async () => {
    const empty = await newDatabase({ migrated: false });
    const dir = path.join(work, 'not-blindspot');
    await mkdir(dir);
    await copyFile(archive, path.join(dir, 'blindspot-20260301T020000Z.dump'));
    const before = await listing(dir);

    const run = await backup({
      DATABASE_URL: withPassword(empty.url).url,
      BACKUP_DIR: dir,
      BACKUP_KEEP: '1',
    });

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no public.schema_migrations');
    expect(await listing(dir)).toEqual(before);
  });
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

/** An age key pair made with age-keygen (Debian's `age`), in the test's work folder. */
async function ageKeyPair(name: string): Promise<{ identity: string; recipient: string }> {
  const identity = path.join(work, `${name}.key`);
  const made = await runScript('age-keygen', ['-o', identity], {});
  expect(made.code, made.stderr).toBe(0);
  const recipient = /age1[0-9a-z]+/.exec(await readFile(identity, 'utf8'))?.[0];
  if (!recipient) throw new Error('age-keygen wrote no public key');
  return { identity, recipient };
}

describe('with age encryption (BACKUP_AGE_RECIPIENT)', () => {
  let keys: { identity: string; recipient: string };
  let sealed: string;
  let dir: string;

  beforeAll(async () => {
    keys = await ageKeyPair('backup');
    dir = path.join(work, 'sealed');
    const run = await backup({
      DATABASE_URL: withPassword(source.url).url,
      BACKUP_DIR: dir,
      BACKUP_AGE_RECIPIENT: keys.recipient,
    });
    expect(run.code, run.stderr).toBe(0);
    sealed = run.stdout.trim();
  }, 60_000);

  it('writes only an encrypted archive, .dump.age, readable by its owner only', async () => {
    expect(path.basename(sealed)).toMatch(/^blindspot-\d{8}T\d{6}Z\.dump\.age$/);
    expect(await readdir(dir)).toEqual([path.basename(sealed)]);
    expect((await stat(sealed)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(sealed);
    expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
  });

  it('restores with the private key, every row as it was', async () => {
    const target = await newDatabase({ migrated: false });
    await grantAsTheDeploymentDoes(target);
    const run = await runScript(RESTORE, [sealed], {
      DATABASE_URL: withPassword(target.url).url,
      BACKUP_AGE_IDENTITY: keys.identity,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Row counts match the archive.');
    expect(await snapshot(target.url)).toEqual(await snapshot(source.url));
  });

  it('refuses without a key, or with the wrong one, clearly, and touches nothing', async () => {
    const target = await newDatabase({ migrated: false });
    const before = await snapshot(target.url);
    const keyless = await restore(target.url, [sealed]);
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('is encrypted with age: give its private key file');
    const other = await ageKeyPair('other');
    const wrong = await restore(target.url, ['--identity', other.identity, sealed]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('cannot be decrypted with');
    expect(wrong.stderr).toContain('The database was not touched');
    expect(await snapshot(target.url)).toEqual(before);
  });

  it('rotates encrypted archives like plain ones, and refuses a recipient that is not a key', async () => {
    const run = await backup({
      DATABASE_URL: withPassword(source.url).url,
      BACKUP_DIR: dir,
      BACKUP_AGE_RECIPIENT: keys.recipient,
      BACKUP_KEEP: '1',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(dir)).toEqual([path.basename(run.stdout.trim())]);
    const before = await listing(dir);
    const bad = await backup({
      DATABASE_URL: withPassword(source.url).url,
      BACKUP_DIR: dir,
      BACKUP_AGE_RECIPIENT: 'not-an-age-key',
      BACKUP_KEEP: '1',
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('age could not encrypt the archive');
    expect(await listing(dir)).toEqual(before);
  });

  it('warns when a backup is written unencrypted', () => {
    expect(firstBackup.stderr).toContain('BACKUP_AGE_RECIPIENT is not set');
  });
});

describe('the password in DATABASE_URL', () => {
  it('shows in no output of either script, and in no command line', async () => {
    const { url, password } = withPassword(source.url);
    const target = await newDatabase({ migrated: false });
    const missing = new URL(url);
    missing.pathname = '/blindspot_no_such_database';
    const runs = [
      firstBackup,
      await runScript(BACKUP, [], { DATABASE_URL: missing.toString(), BACKUP_DIR: backupDir }),
      await runScript(RESTORE, [archive], { DATABASE_URL: withPassword(target.url).url }, shims),
      await runScript(RESTORE, [archive], { DATABASE_URL: missing.toString() }),
    ];
    const argv = await readFile(path.join(shims, 'argv.log'), 'utf8');
    const passwords = (await readFile(path.join(shims, 'pgpassword.log'), 'utf8'))
      .trim()
      .split('\n');

    expect(runs.map((run) => run.code)).toEqual([0, 1, 0, 1]);
    for (const run of runs) {
      expect(run.stdout).not.toContain(password);
      expect(run.stderr).not.toContain(password);
      expect(run.stderr).not.toContain(encodeURIComponent(password));
    }
    expect(argv).toContain('pg_dump --format=custom --dbname=postgres');
    expect(argv).toContain('pg_restore --clean --if-exists');
    expect(argv).not.toContain(password);
    expect(argv).not.toContain(encodeURIComponent(password));
    // libpq got it, decoded, through the environment instead.
    expect(new Set(passwords)).toEqual(new Set([password, withPassword(target.url).password]));
  });
});

describe('in the compose deployment (--compose)', () => {
  it('runs the PostgreSQL programs in the postgres container and round-trips the same', async () => {
    const sourceBefore = await snapshot(source.url);
    const target = await newDatabase({ migrated: false });
    // `docker compose exec -T [-e K=V] SERVICE PROGRAM...`, run here with the environment the
    // official postgres image gives its container, stdin through a pipe as docker passes it.
    const bin = path.join(work, 'docker-bin');
    await mkdir(bin);
    await writeFile(
      path.join(bin, 'docker'),
      `#!/usr/bin/env bash
set -euo pipefail
[[ $1 == compose && $2 == exec ]] || { echo "fake docker: unexpected: $*" >&2; exit 64; }
shift 2
vars=()
while [[ $1 == -* ]]; do
  case $1 in
    -T) shift ;;
    -e) vars+=("$2"); shift 2 ;;
    *) echo "fake docker: unexpected option $1" >&2; exit 64 ;;
  esac
done
printf '%s\\n' "$1" >>"$FAKE_DOCKER_LOG"
shift
{ cat || true; } | env -u DATABASE_URL "\${vars[@]}" POSTGRES_USER="$FAKE_POSTGRES_USER" \\
  POSTGRES_DB="$FAKE_POSTGRES_DB" POSTGRES_PASSWORD="$FAKE_POSTGRES_PASSWORD" \\
  PGHOST="$FAKE_PGHOST" PGPORT="$FAKE_PGPORT" "$@"
`,
    );
    await chmod(path.join(bin, 'docker'), 0o755);
    const container = (database: TestDatabase) => {
      const url = new URL(database.url);
      return {
        FAKE_DOCKER_LOG: path.join(work, 'docker.log'),
        FAKE_POSTGRES_USER: decodeURIComponent(url.username || 'postgres'),
        FAKE_POSTGRES_DB: database.name,
        FAKE_POSTGRES_PASSWORD: decodeURIComponent(url.password),
        FAKE_PGHOST: url.hostname,
        FAKE_PGPORT: url.port || '5432',
      };
    };
    const dir = path.join(work, 'compose-backups');

    const dumped = await runScript(
      BACKUP,
      ['--compose'],
      { BACKUP_DIR: dir, ...container(source) },
      bin,
    );
    // Into another database than POSTGRES_DB, as a restore drill does.
    const restored = await runScript(
      RESTORE,
      ['--compose', dumped.stdout.trim()],
      { ...container(source), PGDATABASE: target.name },
      bin,
    );

    expect(dumped.code, dumped.stderr).toBe(0);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await snapshot(target.url)).toEqual(sourceBefore);
    expect(await snapshot(source.url)).toEqual(sourceBefore);
    const services = new Set(
      (await readFile(path.join(work, 'docker.log'), 'utf8')).trim().split('\n'),
    );
    expect(services).toEqual(new Set(['postgres']));
  });
});
