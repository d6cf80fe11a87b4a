/**
 * What every fault scenario of `npm run faults` is: a promise Blindspot makes, a way to break
 * the world around it, and a measured verdict. scripts/faults.ts runs them in turn, prints one
 * table and writes it into docs/reliability.md.
 */
import type { Defer } from '../bench/service.ts';

export interface FaultContext {
  /** The checkout the services are started from. */
  repoRoot: string;
  /**
   * A PostgreSQL server to create a fresh database on (dropped afterwards); unset: an embedded
   * PostgreSQL in a temporary folder. A scenario that restarts PostgreSQL always starts its own.
   */
  databaseUrl?: string;
  /**
   * 1 is the size the issue and docs/reliability.md state (10,000 deliveries, 10 minutes of
   * Slack outage, a 30-minute soak); FAULTS_SCALE=0.1 runs everything at a tenth, for
   * development. Figures in the docs are from scale 1 only.
   */
  scale: number;
  /** Registers cleanup; the runner undoes everything a scenario started, newest first. */
  defer: Defer;
  /** One progress line on stderr, prefixed with the scenario's id. */
  log(line: string): void;
}

export interface FaultResult {
  pass: boolean;
  /** The measured figures, short: "10,000 sent, 0 duplicates, drained 6.2 s after restart". */
  figures: string;
  /** Why it failed, when it did. */
  failure?: string;
}

export interface FaultScenario {
  /** kebab-case, used by `npm run faults -- --only <id>,<id>`. */
  id: string;
  /** What is done to Blindspot: "kill -9 of the all-in-one process mid fan-out". */
  title: string;
  /** The pass condition, as the table states it: "all sent, 0 duplicates, drained ≤ 15 s". */
  passCondition: string;
  run(context: FaultContext): Promise<FaultResult>;
}
