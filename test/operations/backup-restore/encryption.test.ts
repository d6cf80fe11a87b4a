/**
 * Backups encrypted with age (BACKUP_AGE_RECIPIENT), restored with the private key, refused
 * without it.
 * The world it works on: test/support/backup-fixture.ts.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackupFixture } from '../../support/backup-fixture.ts';
import { listing, RESTORE, type Run, withPassword } from '../../support/backup-scripts.ts';
import type { TestDatabase } from '../../support/database.ts';
import { snapshot } from '../../support/database-snapshot.ts';

const fixture = setUpBackupFixture();
const { runScript, backup, restore, newDatabase, grantAsTheDeploymentDoes } = fixture;
let source: TestDatabase;
let work: string;
let firstBackup: Run;

beforeAll(() => {
  ({ source, work, firstBackup } = fixture);
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
