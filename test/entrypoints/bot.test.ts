/**
 * The bot's process reaches the business logic only through the HTTP API, so it never loads a
 * database driver. Biome checks each file's own imports; this checks the whole module graph, the
 * way Node resolves it, packages included.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const entrypoint = new URL('../../src/entrypoints/bot.ts', import.meta.url);

/** What the bot's process must never load. */
const FORBIDDEN = [
  '/node_modules/pg/',
  '/node_modules/kysely/',
  '/node_modules/graphile-worker/',
  '/src/db/pool.ts',
];

/**
 * The modules a file imports for their values. bot.ts starts the bot as it loads, so the test
 * loads what it imports rather than the file itself; `import type` loads nothing and is skipped.
 */
async function valueImportsOf(file: URL): Promise<URL[]> {
  const source = await readFile(file, 'utf8');
  const specifiers = [
    ...source.matchAll(/^import\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'/gm),
    ...source.matchAll(/^import\s+'([^']+)'/gm),
  ].map((match) => String(match[1]));
  return specifiers.map((specifier) => new URL(specifier, file));
}

/**
 * Every URL Node resolves while importing `modules`, in a child process with a resolve hook
 * (module.registerHooks sees both import and require, so packages' own requires count).
 */
async function moduleGraph(modules: URL[]): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const resolved = new Set();
    registerHooks({
      resolve(specifier, context, nextResolve) {
        const result = nextResolve(specifier, context);
        resolved.add(result.url);
        return result;
      },
    });
    for (const url of JSON.parse(process.argv[1])) await import(url);
    process.stdout.write(JSON.stringify([...resolved]));
  `;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '--eval', script, JSON.stringify(modules.map(String))],
    { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as string[];
}

const loadedFrom = (graph: string[], part: string) => graph.filter((url) => url.includes(part));

describe('the bot entrypoint', () => {
  it('loads Bolt, the HTTP server and the API client, and no database driver', async () => {
    const imports = await valueImportsOf(entrypoint);
    expect(imports.map((url) => url.pathname)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/src\/bot\/app\.ts$/),
        expect.stringMatching(/\/src\/http\/server\.ts$/),
      ]),
    );
    const graph = await moduleGraph(imports);
    expect(loadedFrom(graph, '/node_modules/@slack/bolt/').length).toBeGreaterThan(0);
    expect(loadedFrom(graph, '/src/bot/api-client/index.ts')).toHaveLength(1);
    expect(FORBIDDEN.flatMap((part) => loadedFrom(graph, part))).toEqual([]);
  });

  it('would be caught loading one: the API wiring does load pg and Kysely', async () => {
    const graph = await moduleGraph([new URL('../../src/entrypoints/wiring.ts', import.meta.url)]);
    for (const part of ['/node_modules/pg/', '/node_modules/kysely/', '/src/db/pool.ts']) {
      expect(loadedFrom(graph, part).length).toBeGreaterThan(0);
    }
  });
});
