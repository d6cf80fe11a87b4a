/**
 * Gives the V8 heap's spare pages back to the operating system once a process goes quiet.
 *
 * Under load V8 grows the heap and then keeps it: after the memory probe's click and read
 * phases the all-in-one process held 265 MB of heap for 80 MB of live objects, and 433 MB of
 * RSS, and it never shrank (docs/performance.md, "Heap trimming when quiet"). V8's own memory
 * reducer would shrink it, but it runs only while the allocation rate is low, and a process that
 * polls its API and its queue every second never allocates that little (`--trace-memory-reducer`
 * printed "high alloc" at every check, idle or not). So this does what a browser does for a tab
 * sent to the background: when the event loop has been nearly idle for some seconds in a row
 * (HEAP_TRIM_QUIET_SECONDS) and the heap has grown since the last trim, it asks V8 for a
 * memory-reducing collection, which compacts the heap and releases its empty pages. The
 * collection pauses the process for tens of milliseconds (89–99 ms at 60 MB live), which is why
 * it waits for a quiet spell and never runs under load.
 */
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from './observability/logger.ts';

/** How often the trimmer looks at the event loop and the heap. */
const CHECK_EVERY_MS = 1_000;
/** Event-loop utilisation below which a second counts as quiet: a process serving nothing. */
const QUIET_BELOW = 0.05;
/** Growth of the heap since the last trim that is worth a pause to give back. */
const WORTH_TRIMMING_BYTES = 16 * 2 ** 20;

export interface HeapTrimmerOptions {
  logger: Logger;
  /** Observes each trim's pause, in seconds. */
  observePause?: (seconds: number) => void;
  /** Quiet checks in a row before a trim: HEAP_TRIM_QUIET_SECONDS, at one check a second. */
  quietChecks: number;
  everyMs?: number;
  /** The heap's size now (V8's total_heap_size); tests inject their own. */
  heapBytes?: () => number;
  /** The event loop's utilisation (0 to 1) since the last call; tests inject their own. */
  utilisation?: () => number;
  /** A memory-reducing full collection; tests inject their own. */
  collect?: () => void;
}

export interface HeapTrimmer {
  /** One check, as the timer runs it (see shouldTrim). Returns whether it trimmed. */
  check(): boolean;
  stop(): void;
}

/** Whether a second with this event-loop utilisation counts as quiet. */
export function isQuiet(utilisation: number): boolean {
  return utilisation < QUIET_BELOW;
}

/**
 * Whether a check trims: the last `quietChecksNeeded` checks (seconds) were quiet, and the heap
 * grew by 16 MiB or more since the last trim.
 */
export function shouldTrim(state: {
  quietChecks: number;
  quietChecksNeeded: number;
  heapBytes: number;
  heapBytesAfterLastTrim: number;
}): boolean {
  return (
    state.quietChecks >= state.quietChecksNeeded &&
    state.heapBytes - state.heapBytesAfterLastTrim >= WORTH_TRIMMING_BYTES
  );
}

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let exposedGc: GcFunction | undefined;

/**
 * V8's gc(), taken from a context of its own so that no module sees a global `gc`. The flag only
 * makes contexts created after it carry the function; setting it changes nothing else.
 * "last-resort" is V8's memory-reducing collection: it compacts, and releases the freed pages.
 */
function memoryReducingCollection(): void {
  if (!exposedGc) {
    v8.setFlagsFromString('--expose-gc');
    exposedGc = vm.runInNewContext('gc') as GcFunction;
  }
  exposedGc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

const heapTotal = () => v8.getHeapStatistics().total_heap_size;

function eventLoopUtilisation(): () => number {
  let since: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, since);
    since = now;
    return utilization;
  };
}

/** Starts checking every `everyMs` (1 s); the timer does not hold the process open. */
export function startHeapTrimmer(options: HeapTrimmerOptions): HeapTrimmer {
  const heapBytes = options.heapBytes ?? heapTotal;
  const collect = options.collect ?? memoryReducingCollection;
  const utilisation = options.utilisation ?? eventLoopUtilisation();
  const log = options.logger.child({ component: 'heap-trimmer' });
  // Start-up leaves its garbage (module sources, migrations, the catalogue): the first quiet
  // check after it trims too.
  let heapBytesAfterLastTrim = 0;
  let quietChecks = 0;
  const quietChecksNeeded = options.quietChecks;

  function check(): boolean {
    quietChecks = isQuiet(utilisation()) ? quietChecks + 1 : 0;
    const before = heapBytes();
    if (
      !shouldTrim({ quietChecks, quietChecksNeeded, heapBytes: before, heapBytesAfterLastTrim })
    ) {
      return false;
    }
    const started = performance.now();
    collect();
    const seconds = (performance.now() - started) / 1000;
    heapBytesAfterLastTrim = heapBytes();
    options.observePause?.(seconds);
    log.debug(
      {
        heapMb: Math.round(before / 2 ** 20),
        afterMb: Math.round(heapBytesAfterLastTrim / 2 ** 20),
        pauseMs: Math.round(seconds * 1000),
      },
      'gave spare heap back to the system',
    );
    // The pause was busy time of our own making: the next check measures from its end.
    utilisation();
    return true;
  }

  const timer = setInterval(check, options.everyMs ?? CHECK_EVERY_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
