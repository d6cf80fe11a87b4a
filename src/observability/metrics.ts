/**
 * Prometheus metrics. One registry per process (the all-in-one process shares it between api,
 * bot and worker); tests build their own. Labels never carry user, team or channel ids: they
 * would make a series per person.
 */
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger.ts';

/** Buckets for request and query durations: 1 ms to 10 s, dense where our targets are. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics() {
  const registry = new Registry();
  // Process metrics: CPU, RSS, heap, GC, and event loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });

  const pools = new Map<string, { pool: pg.Pool; max: number }>();
  const poolGauge = (
    name: string,
    help: string,
    read: (observed: { pool: pg.Pool; max: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        for (const [label, observed] of pools) this.set({ pool: label }, read(observed));
      },
    });
  poolGauge(
    'blindspot_db_pool_connections',
    'Connections the pool holds, busy or idle.',
    (p) => p.pool.totalCount,
  );
  poolGauge(
    'blindspot_db_pool_connections_idle',
    'Idle connections in the pool.',
    (p) => p.pool.idleCount,
  );
  poolGauge(
    'blindspot_db_pool_clients_waiting',
    'Requests waiting for a free connection.',
    (p) => p.pool.waitingCount,
  );
  // Saturation is (total - idle) / max: a pool near its max makes requests wait for a connection.
  poolGauge(
    'blindspot_db_pool_max',
    'The most connections the pool may hold (its configured max).',
    (p) => p.max,
  );
  let jobQueueObserved = false;

  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'blindspot_http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    // No client label: a series per address would grow without bound.
    httpRateLimited: new Counter({
      name: 'blindspot_http_rate_limited_total',
      help: 'API requests answered 429 because their client went over API_RATE_LIMIT_PER_MINUTE.',
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'blindspot_db_query_duration_seconds',
      help: 'Database queries by name (verb and first table, e.g. select:deliveries), failed ones included.',
      labelNames: ['query'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    poolAcquireSeconds: new Histogram({
      name: 'blindspot_db_pool_acquire_seconds',
      help: 'Time spent waiting for a database connection from the pool.',
      labelNames: ['pool'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    slackAckSeconds: new Histogram({
      name: 'blindspot_slack_ack_seconds',
      help: "Time from receiving a Slack request to acknowledging it (Slack's limit is 3 s).",
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    // The count is the number of trims; nodejs_heap_size_total_bytes shows what each gave back.
    heapTrimSeconds: new Histogram({
      name: 'blindspot_heap_trim_seconds',
      help: 'Pauses of the memory-reducing collections run when the process was quiet (src/heap-trimmer.ts).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    slackRequestsRejected: new Counter({
      name: 'blindspot_slack_requests_rejected_total',
      help: 'Inbound Slack requests rejected before reaching a handler, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    }),
    slackApi: {
      calls: new Counter({
        name: 'blindspot_slack_api_calls_total',
        help: 'HTTP requests to the Slack Web API by method and result (ok, ratelimited, error, http_error, request_error); each retry counts.',
        labelNames: ['method', 'result'],
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'blindspot_slack_api_call_duration_seconds',
        help: 'Duration of HTTP requests to the Slack Web API, by method and result.',
        labelNames: ['method', 'result'],
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
    },
    deliveries: {
      due: new Counter({
        name: 'blindspot_deliveries_due_total',
        help: 'Deliveries planned to be sent (ledger rows written by the planner).',
        registers: [registry],
      }),
      sent: new Counter({
        name: 'blindspot_deliveries_sent_total',
        help: 'Deliveries confirmed sent to Slack.',
        registers: [registry],
      }),
      late: new Counter({
        name: 'blindspot_deliveries_late_total',
        help: 'Deliveries sent more than 5 minutes after their due time.',
        registers: [registry],
      }),
      missed: new Counter({
        name: 'blindspot_deliveries_missed_total',
        help: 'Deliveries not sent within 2 hours of their due time, recorded and dropped.',
        registers: [registry],
      }),
      failed: new Counter({
        name: 'blindspot_deliveries_failed_total',
        help: 'Deliveries given up on because Slack cannot reach the manager, by Slack error.',
        labelNames: ['reason'],
        registers: [registry],
      }),
      skipped: new Counter({
        name: 'blindspot_deliveries_skipped_total',
        help: 'Notes not sent on purpose: the manager was out (Slack status) or on a holiday.',
        labelNames: ['reason'],
        registers: [registry],
      }),
      lateness: new Histogram({
        name: 'blindspot_delivery_lateness_seconds',
        help: 'Seconds between a delivery being due and being sent.',
        buckets: [1, 2, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200],
        registers: [registry],
      }),
    },
    reminders: {
      due: new Counter({
        name: 'blindspot_reminders_due_total',
        help: 'Reminder messages planned (one bundles every item due that day).',
        registers: [registry],
      }),
      sent: new Counter({
        name: 'blindspot_reminders_sent_total',
        help: 'Reminder messages confirmed sent to Slack.',
        registers: [registry],
      }),
      answered: new Counter({
        name: 'blindspot_reminders_answered_total',
        help: 'Answers to "did you do it?", by answer.',
        labelNames: ['answer'],
        registers: [registry],
      }),
      lapsed: new Counter({
        name: 'blindspot_reminders_lapsed_total',
        help: 'Action items that lapsed after three unanswered reminders.',
        registers: [registry],
      }),
      timeToAnswer: new Histogram({
        name: 'blindspot_reminder_answer_seconds',
        help: 'Seconds from a reminder being sent to its answer.',
        buckets: [60, 600, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400],
        registers: [registry],
      }),
      lateness: new Histogram({
        name: 'blindspot_reminder_lateness_seconds',
        help: 'Seconds a reminder went out after its slot, including waits for the daily cap.',
        buckets: [1, 10, 60, 600, 3600, 86_400, 2 * 86_400, 7 * 86_400],
        registers: [registry],
      }),
    },
    retentionRowsDeleted: new Counter({
      name: 'blindspot_retention_rows_deleted_total',
      help: 'Rows the nightly retention job deleted for being older than RETENTION_DAYS, by table.',
      labelNames: ['table'],
      registers: [registry],
    }),
    actionItems: {
      created: new Counter({
        name: 'blindspot_action_items_created_total',
        help: 'Action items created, by where they came from (modal, thread, dm, api).',
        labelNames: ['source'],
        registers: [registry],
      }),
      edited: new Counter({
        name: 'blindspot_action_items_edited_total',
        help: 'Action items changed (text, note, check-back date or status).',
        registers: [registry],
      }),
      deleted: new Counter({
        name: 'blindspot_action_items_deleted_total',
        help: 'Action items deleted.',
        registers: [registry],
      }),
    },
    /**
     * Reports the age of the oldest due, unsent delivery as a gauge, read from the database on
     * each scrape (one indexed query).
     */
    observeDeliveryBacklog(read: () => Promise<number>) {
      new Gauge({
        name: 'blindspot_delivery_oldest_unsent_due_seconds',
        help: 'Age of the oldest delivery that is due and not yet sent; 0 when none.',
        registers: [registry],
        async collect() {
          this.set(await read().catch(() => Number.NaN));
        },
      });
    },
    /**
     * Reports graphile-worker's queue, read from the database on each scrape: jobs waiting to
     * run, and how long the oldest due one has waited. A failed read reports NaN (and a debug
     * line) rather than failing the whole scrape. Only the first call per registry counts.
     */
    observeJobQueue(queue: JobQueueReader, logger: Logger) {
      if (jobQueueObserved) return;
      jobQueueObserved = true;
      const read = (what: string, reader: () => Promise<number>) =>
        reader().catch((error: unknown) => {
          logger.debug({ err: error, metric: what }, 'could not read the job queue for /metrics');
          return Number.NaN;
        });
      new Gauge({
        name: 'blindspot_job_queue_depth',
        help: 'Background jobs not yet run: unlocked, with attempts left (due or scheduled later).',
        registers: [registry],
        async collect() {
          this.set(await read('depth', queue.depth));
        },
      });
      new Gauge({
        name: 'blindspot_job_queue_oldest_due_seconds',
        help: 'How long the oldest due, unlocked job has waited to run; 0 when none.',
        registers: [registry],
        async collect() {
          this.set(await read('oldest_due', queue.oldestDueSeconds));
        },
      });
    },
    /** Reports a pool's size and its configured max through the blindspot_db_pool_* gauges. */
    observePool(label: string, pool: pg.Pool, max: number) {
      pools.set(label, { pool, max });
    },
  };
}

/** Reads graphile-worker's queue for the job queue gauges; see src/worker/queue-stats.ts. */
export interface JobQueueReader {
  depth(): Promise<number>;
  oldestDueSeconds(): Promise<number>;
}

export type Metrics = ReturnType<typeof createMetrics>;
export type DeliveryMetrics = Metrics['deliveries'];
