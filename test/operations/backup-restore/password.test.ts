/**
 * The password in DATABASE_URL shows in no output of scripts/backup or scripts/restore, and in
 * no command line.
 * The world it works on: test/support/backup-fixture.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackupFixture } from '../../support/backup-fixture.ts';
import { BACKUP, RESTORE, type Run, withPassword } from '../../support/backup-scripts.ts';
import type { TestDatabase } from '../../support/database.ts';

const fixture = setUpBackupFixture();
const { runScript, newDatabase } = fixture;
let source: TestDatabase;
let backupDir: string;
let shims: string;
let firstBackup: Run;
let archive: string;

beforeAll(() => {
  ({ source, backupDir, shims, firstBackup, archive } = fixture);
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
