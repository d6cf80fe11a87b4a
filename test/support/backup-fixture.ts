/**
 * What test/operations/backup-restore/ backs up and restores: a PostgreSQL server this machine's
 * pg_dump can back up, the compose deployment's roles on it, a database seeded as the deployment
 * has it, a work folder with pg_dump, pg_restore and psql shims, and a first backup taken through
 * them. Each test file sets up its own, roles and databases included, and drops them after.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
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
import { createLogger } from '../../src/observability/logger.ts';
import {
  BACKUP,
  RESTORE,
  type Run,
  runScriptIn,
  withPassword,
  writeShims,
} from './backup-scripts.ts';
import type { TestDatabase } from './database.ts';
import { type DumpableServer, startDumpableServer } from './dumpable-postgres.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from './factories.ts';

/** Words managers really type: emoji, quotes, tabs, newlines, right-to-left scripts, backslashes. */
export const TRICKY_TEXTS = [
  'Ask Priya for feedback 🙏🏽 before Friday\'s 1:1 — "no surprises"',
  'Delegate the release notes\nto Sam;\ttabs, a backslash \\ and a pipe | too',
  'לתת משוב חיובי לצוות בשבוע הבא',
  'اطلب رأي الفريق قبل الاجتماع 👩‍👩‍👧',
  'A line that ends a COPY block:\n\\.\nand one after it',
];

/**
 * The compose deployment's roles (config/postgres/init/10-blindspot-roles.sh): an owner that
 * runs the migrations, the api's and the worker's roles with grants only, the worker owning
 * graphile_worker. Named uniquely: roles belong to the whole server.
 */
export interface Roles {
  owner: string;
  app: string;
  worker: string;
  password: string;
}

async function asSuperuser(server: DumpableServer, database: string, sql: string): Promise<void> {
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

async function createRoles(server: DumpableServer): Promise<Roles> {
  const prefix = `blindspot_backup_${randomBytes(3).toString('hex')}`;
  const created = {
    owner: `${prefix}_owner`,
    app: `${prefix}_app`,
    worker: `${prefix}_worker`,
    password: randomBytes(12).toString('hex'),
  };
  await asSuperuser(
    server,
    'postgres',
    [created.owner, created.app, created.worker]
      .map((role) => `CREATE ROLE ${role} LOGIN PASSWORD '${created.password}';`)
      .join('\n'),
  );
  return created;
}

/** What the roles script does to the deployment's database when the server starts first. */
async function grantAsTheDeploymentDoes(
  server: DumpableServer,
  roles: Roles,
  database: TestDatabase,
): Promise<void> {
  const { owner, app, worker } = roles;
  await asSuperuser(
    server,
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
function as(roles: Roles, role: string, database: TestDatabase): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = roles.password;
  return url.toString();
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
async function seed(server: DumpableServer, roles: Roles, database: TestDatabase): Promise<void> {
  await grantAsTheDeploymentDoes(server, roles, database);
  const ownerPool = new pg.Pool({ connectionString: as(roles, roles.owner, database), max: 1 });
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

  const utils = await makeWorkerUtils({ connectionString: as(roles, roles.worker, database) });
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

/**
 * Registers the calling test file's beforeAll and afterAll, which set the world up and take it
 * down, and hands back its parts (read them once its beforeAll has run) and the calls its tests
 * make. Call it once, at the top of the file.
 */
export function setUpBackupFixture() {
  let server: DumpableServer;
  /** The seeded database every backup is taken from. */
  let source: TestDatabase;
  let roles: Roles;
  let work: string;
  let backupDir: string;
  /** The shims' folder: pg_dump, pg_restore and psql that log how they were called. */
  let shims: string;
  const created: TestDatabase[] = [];
  let firstBackup: Run;
  let archive: string;

  /** Runs a script in the work folder with only the environment it is given (and PATH, HOME). */
  function runScript(
    script: string,
    args: string[],
    env: Record<string, string>,
    pathPrefix?: string,
  ): Promise<Run> {
    return runScriptIn(work, script, args, env, pathPrefix);
  }

  function backup(env: Record<string, string>, args: string[] = []): Promise<Run> {
    return runScript(BACKUP, args, env);
  }

  function restore(url: string, args: string[]): Promise<Run> {
    return runScript(RESTORE, args, { DATABASE_URL: withPassword(url).url });
  }

  async function newDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
    const database = await server.createDatabase(options);
    created.push(database);
    return database;
  }

  beforeAll(async () => {
    server = await startDumpableServer();
    roles = await createRoles(server);
    source = await newDatabase({ migrated: false });
    await seed(server, roles, source);
    work = await mkdtemp(path.join(tmpdir(), 'blindspot-backup-test-'));
    backupDir = path.join(work, 'backups');
    shims = path.join(work, 'shims');
    await mkdir(shims);
    await writeShims(shims);
    firstBackup = await runScriptIn(
      work,
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
        server,
        'postgres',
        `DROP ROLE IF EXISTS ${roles.owner}, ${roles.app}, ${roles.worker}`,
      );
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  return {
    get server() {
      return server;
    },
    get source() {
      return source;
    },
    get roles() {
      return roles;
    },
    get work() {
      return work;
    },
    get backupDir() {
      return backupDir;
    },
    get shims() {
      return shims;
    },
    get firstBackup() {
      return firstBackup;
    },
    get archive() {
      return archive;
    },
    runScript,
    backup,
    restore,
    newDatabase,
    grantAsTheDeploymentDoes: (database: TestDatabase) =>
      grantAsTheDeploymentDoes(server, roles, database),
    as: (role: string, database: TestDatabase) => as(roles, role, database),
  };
}
