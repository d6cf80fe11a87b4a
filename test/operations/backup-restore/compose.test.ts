/**
 * scripts/backup and scripts/restore in the compose deployment (--compose): the PostgreSQL
 * programs run in the postgres container.
 * The world it works on: test/support/backup-fixture.ts.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackupFixture } from '../../support/backup-fixture.ts';
import { BACKUP, RESTORE } from '../../support/backup-scripts.ts';
import type { TestDatabase } from '../../support/database.ts';
import { snapshot } from '../../support/database-snapshot.ts';

const fixture = setUpBackupFixture();
const { runScript, newDatabase } = fixture;
let source: TestDatabase;
let work: string;

beforeAll(() => {
  ({ source, work } = fixture);
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
