/**
 * The fault suite's own machinery (scripts/faults/, scripts/bench/service.ts): its table lands
 * between the markers of docs/reliability.md, and a service process killed with SIGKILL starts
 * again on the same port, as the kill scenarios rely on.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startDeployment } from '../../scripts/bench/service.ts';
import {
  BEGIN_MARKER,
  END_MARKER,
  renderSection,
  writeBetweenMarkers,
} from '../../scripts/faults/table.ts';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = {
  date: new Date('2026-12-05T21:00:00Z'),
  scale: 1,
  commit: 'abc123',
  command: 'npm run faults',
  machine: '2 cores, 4 GB',
};

describe('the fault table', () => {
  it('replaces what is between the markers, and only that, each time it is written', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'faults-table-'));
    try {
      const file = path.join(folder, 'reliability.md');
      await writeFile(file, `# Before\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\n## After\n`);
      const row = {
        id: 'kill-all-in-one',
        title: 'kill -9 | mid fan-out',
        passCondition: '0 duplicates',
        figures: '10,000 sent',
        pass: false,
        failure: 'drained 16.0 s after the restart',
        seconds: 95,
      };
      await writeBetweenMarkers(file, renderSection([row], run));
      await writeBetweenMarkers(file, renderSection([{ ...row, pass: true }], run));

      const text = await readFile(file, 'utf8');
      expect(text.startsWith('# Before\n')).toBe(true);
      expect(text.endsWith('## After\n')).toBe(true);
      expect(text).not.toContain('old');
      expect(text.split(BEGIN_MARKER)).toHaveLength(2);
      expect(text).toContain('at scale 1, commit `abc123`, by `npm run faults`');
      // A pipe in a cell is escaped, so the row keeps its columns.
      expect(text).toContain(
        '| `kill-all-in-one` | kill -9 \\| mid fan-out | 0 duplicates | 10,000 sent (95 s) | PASS |',
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a file without the markers rather than guess where the table goes', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'faults-table-'));
    try {
      const file = path.join(folder, 'reliability.md');
      await writeFile(file, '# No markers\n');
      await expect(writeBetweenMarkers(file, 'table')).rejects.toThrow(/no <!-- faults:begin/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('a service process under the fault suite', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('when SIGKILLed and restarted, serves again on the same port with a new pid', async () => {
    const standIn = await startSlackStandIn();
    cleanups.push(() => standIn.close());
    const adminUrl = inject('adminDatabaseUrl');
    const deployment = await startDeployment(
      'all-in-one',
      {
        repoRoot: REPO_ROOT,
        slackApiUrl: standIn.url,
        slackBotToken: `xoxb-${randomBytes(8).toString('hex')}`,
        slackSigningSecret: randomBytes(16).toString('hex'),
        apiServiceToken: randomBytes(32).toString('base64url'),
        apiSigningSecret: randomBytes(32).toString('base64url'),
        databaseServerUrl: adminUrl,
        embeddedPostgresOutside: true,
      },
      (_name, undo) => cleanups.push(undo),
    );
    const service = deployment.api;
    const firstPid = service.pid;

    await service.kill('SIGKILL');
    expect(service.running()).toBe(false);
    await expect(fetch(`${service.url}/readyz`)).rejects.toThrow();

    await service.restart();
    expect(service.running()).toBe(true);
    expect(service.pid).not.toBe(firstPid);
    expect(service.starts()).toBe(2);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 180_000);
});
