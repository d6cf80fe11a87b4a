/**
 * The sandbox: Blindspot in the browser, before any Slack (docs/user-guide/sandbox.md). A page
 * that looks like a Slack workspace (web/sandbox), a Slack emulator in this process
 * (src/slack-emulator), and a second, real Blindspot (./stack.ts) on a database of its own and a
 * clock the time machine moves. See ./mode.ts for when it is served.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { databaseNameOf, databaseUrlFor } from '../db/databases.ts';
import type { HttpServer } from '../http/server.ts';
import type { ShutdownStep } from '../lifecycle.ts';
import type { Logger } from '../observability/logger.ts';
import { startSlackStandIn } from '../slack-emulator/index.ts';
import { createSandboxClock } from './clock.ts';
import { SANDBOX_PEOPLE, SANDBOX_TEAM } from './people.ts';
import { createRelay } from './relay.ts';
import { registerSandboxRoutes } from './routes.ts';
import { createSandboxStack, type StartInnerStack } from './stack.ts';
import { registerSandboxWeb } from './web.ts';

export { sandboxMount } from './mode.ts';

export interface Sandbox {
  /** Serves the page (at / too when `root`) and /sandbox/api on `server`. */
  register(server: HttpServer, options: { root: boolean }): Promise<void>;
  /** Ends the page streams, then stops the sandbox's Blindspot and the emulator. */
  shutdownStep: ShutdownStep;
}

/** The sandbox's database: its own, on the main database's server, never the main one. */
export function sandboxDatabaseUrl(config: Config, mainUrl: string): string {
  if (config.SANDBOX_DATABASE_URL) {
    if (databaseNameOf(config.SANDBOX_DATABASE_URL) === databaseNameOf(mainUrl)) {
      throw new Error('SANDBOX_DATABASE_URL must name another database than DATABASE_URL');
    }
    return config.SANDBOX_DATABASE_URL;
  }
  return databaseUrlFor(mainUrl, `${databaseNameOf(mainUrl)}_sandbox`);
}

export async function startSandbox(options: {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  startInner: StartInnerStack;
}): Promise<Sandbox> {
  const logger = options.logger.child({ component: 'sandbox' });
  const clock = createSandboxClock();
  const emulator = await startSlackStandIn({
    identity: SANDBOX_TEAM,
    users: SANDBOX_PEOPLE.map((p) => ({ id: p.userId, realName: p.name, tz: p.timeZone })),
    now: () => clock.now().getTime(),
  });
  const stack = createSandboxStack({
    config: options.config,
    logger,
    databaseUrl: sandboxDatabaseUrl(options.config, options.databaseUrl),
    emulator,
    clock,
    startInner: options.startInner,
  });
  try {
    await stack.current();
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const relay = createRelay({ emulator, clock, stack: () => stack.current() });
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const streams = new Set<ServerResponse>();
  return {
    async register(server, { root }) {
      await registerSandboxWeb(server, { root });
      await server.register(
        (app) =>
          registerSandboxRoutes(app, {
            emulator,
            clock,
            stack,
            relay,
            logger,
            streams,
            broadcast: (scope) => changes.emit('change', { scope }),
            subscribe: (listener) => {
              changes.on('change', listener);
              return () => changes.off('change', listener);
            },
          }),
        { prefix: '/sandbox/api' },
      );
    },
    shutdownStep: {
      name: 'sandbox',
      run: async () => {
        for (const stream of streams) stream.end();
        await stack.stop();
        await emulator.close();
      },
    },
  };
}
