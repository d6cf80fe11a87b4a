/**
 * A setup file (vitest.config.ts): tells database.ts which test file runs, so that a database is
 * kept, not dropped, once a test of its file has failed.
 */
import { afterAll, beforeAll } from 'vitest';
import { keepUndroppedDatabasesOfFailedFile, watchFailuresOf } from './database.ts';

// Vitest reads a hook's first parameter as a fixtures pattern, so it must be an object pattern;
// the second is the file, as these hooks are registered at its top level.
// biome-ignore lint/correctness/noEmptyPattern: vitest requires a destructuring pattern here.
beforeAll(({}, file) => {
  watchFailuresOf(file);
});

// With vitest's default "stack" order of after-hooks, this runs after the file's own afterAll.
afterAll(async () => {
  await keepUndroppedDatabasesOfFailedFile();
});
