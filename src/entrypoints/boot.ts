/**
 * What every process does first and last, with no database: load the config, log the boot line,
 * listen, and close the HTTP server. Kept apart from wiring.ts, which opens databases, so that
 * the bot's process never loads pg (test/entrypoints/bot.test.ts checks its module graph).
 */
import { type Config, ConfigError, describeConfig, loadConfig, type Service } from '../config.ts';
import { startHeapTrimmer } from '../heap-trimmer.ts';
import type { HttpServer } from '../http/server.ts';
import type { ShutdownStep } from '../lifecycle.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { VERSION } from '../version.ts';

/** Loads the config or prints every problem and exits 1. */
export function configOrExit(service: Service): Config {
  try {
    return loadConfig(process.env, service);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `blindspot ${service}: ${error.message}\nSee .env.example for every variable.\n`,
    );
    process.exit(1);
  }
}

export function bootLogger(config: Config, service: Service): Logger {
  const logger = createLogger({ level: config.LOG_LEVEL, service });
  logBoot(logger, config, service);
  return logger;
}

/** The first line of every process: the version and the config, secrets replaced by "(set)". */
export function logBoot(logger: Logger, config: Config, service: Service): void {
  logger.info(
    { version: VERSION, config: describeConfig(config) },
    `starting blindspot ${service}`,
  );
}

export async function listen(server: HttpServer, config: Config): Promise<string> {
  return server.listen({ host: config.HOST, port: config.PORT });
}

/** Closing the server stops new connections and waits for requests in flight. */
export function closeServer(server: HttpServer): ShutdownStep {
  return { name: 'http server', run: () => server.close() };
}

/**
 * Gives the heap's spare pages back to the system whenever the process has been quiet for
 * HEAP_TRIM_QUIET_SECONDS (src/heap-trimmer.ts); one per process. The step stops it.
 */
export function trimHeapWhenQuiet(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): ShutdownStep[] {
  if (config.HEAP_TRIM_QUIET_SECONDS === 0) return [];
  const trimmer = startHeapTrimmer({
    logger,
    quietChecks: config.HEAP_TRIM_QUIET_SECONDS,
    observePause: (seconds) => metrics.heapTrimSeconds.observe(seconds),
  });
  return [{ name: 'heap trimmer', run: async () => trimmer.stop() }];
}
