/**
 * A backup (scripts/backup): one checked pg_dump archive, rotated, and one that fails or
 * finds no Blindspot leaves the backups there were.
 * The world it works on: test/support/backup-fixture.ts.
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackupFixture } from '../../support/backup-fixture.ts';
import { ARCHIVE_NAME, listing, type Run, withPassword } from '../../support/backup-scripts.ts';
import type { TestDatabase } from '../../support/database.ts';
import type { DumpableServer } from '../../support/dumpable-postgres.ts';

const fixture = setUpBackupFixture();
const { backup, newDatabase } = fixture;
let server: DumpableServer;
let source: TestDatabase;
let work: string;
let backupDir: string;
let firstBackup: Run;
let archive: string;

beforeAll(() => {
  ({ server, source, work, backupDir, firstBackup, archive } = fixture);
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
