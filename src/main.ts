/** `npm start`: the all-in-one process. See src/all-in-one.ts. */
import { startAllInOne } from './all-in-one.ts';
import { bootLogger, configOrExit, trimHeapWhenQuiet } from './entrypoints/boot.ts';
import { exitOnSignals, type ShutdownStep } from './lifecycle.ts';

const config = configOrExit('all-in-one');
const logger = bootLogger(config, 'all-in-one');
let steps: ShutdownStep[] = [];
exitOnSignals(() => steps, logger, config.SHUTDOWN_TIMEOUT_MS);
try {
  const running = await startAllInOne({ config, logger });
  steps = [...trimHeapWhenQuiet(config, logger, running.metrics), ...running.shutdownSteps()];
} catch (error) {
  logger.fatal({ err: error }, 'Blindspot could not start');
  process.exit(1);
}
