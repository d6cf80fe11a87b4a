import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // A file whose test failed keeps its database and names it (test/support/database.ts).
    setupFiles: ['test/support/keep-failed-databases.ts'],
    // Each file gets its own database cloned from a migrated template (test/support/database.ts).
    pool: 'forks',
    // Files share their worker's process and module cache. A fresh process per file spent more
    // CPU importing the app than running its tests: the suite took 1,036 s that way and 741 s
    // without (docs/performance.md). The tests hold no module state of their own to leak: no
    // vi.mock, no stubbed globals or environment, and a database per file.
    isolate: false,
    // Vitest's default is one worker fewer than the cores: a single one on CI's two, with the
    // cores idle while a test waits on PostgreSQL, Chromium or a child process. Two workers
    // there took the whole suite from 1,298 s to 885 s (docs/performance.md).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    // expect.poll gives up after 1 s by default, which two files at once can outlast on two
    // cores; a poll that passes returns as soon as it does, so only a failure waits longer.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 90_000,
    // Leaked handles (a server, a pool) would keep a worker alive; fail loudly instead.
    teardownTimeout: 10_000,
    // CI asks for a JSON report too, to print one plain summary line per run.
    ...(process.env.VITEST_JSON_REPORT
      ? {
          reporters: ['default', 'json'],
          outputFile: { json: process.env.VITEST_JSON_REPORT },
        }
      : {}),
  },
});
