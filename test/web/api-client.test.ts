/**
 * The admin app's API types (web/src/api/schema.ts) come from the same OpenAPI document as the
 * bot's; `npm run api:generate` writes both, and test/api/http.test.ts checks the bot's against
 * the live document. So a stale copy here means the generator was not run after a route changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe("the admin app's API types", () => {
  it('are the ones generated with the bot client, from docs/api/openapi.json', async () => {
    const web = await readFile(path.join(ROOT, 'web/src/api/schema.ts'), 'utf8');
    const bot = await readFile(path.join(ROOT, 'src/bot/api-client/schema.ts'), 'utf8');
    expect(web === bot, 'web/src/api/schema.ts is stale: run `npm run api:generate`').toBe(true);
  });
});
