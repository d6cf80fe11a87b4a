/**
 * The Grafana dashboards and their provisioning (config/grafana), checked without Grafana or
 * Prometheus: each dashboard loads, every panel queries the provisioned Prometheus data source,
 * and every Blindspot metric a query names is one the services export, so renaming a metric
 * cannot leave a panel silently empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// A dependency of @fastify/swagger, vitest and the OpenAPI validator, not a direct one.
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GRAFANA = path.join(ROOT, 'config/grafana');
const DASHBOARDS = path.join(GRAFANA, 'dashboards');
const PROVISIONING = path.join(GRAFANA, 'provisioning');
const METRICS_SOURCE = readFileSync(path.join(ROOT, 'src/observability/metrics.ts'), 'utf8');

/**
 * Metrics another change is adding to src/observability/metrics.ts under exactly these names.
 * Once it lands, each is found in the source and its entry here can go.
 */
const METRICS_BEING_ADDED = new Set([
  'blindspot_slack_api_calls_total',
  'blindspot_slack_api_call_duration_seconds',
  'blindspot_db_pool_max',
  'blindspot_db_query_duration_seconds',
  'blindspot_job_queue_depth',
  'blindspot_job_queue_oldest_due_seconds',
]);

/** Where Grafana finds the dashboards inside its container: the provider's options.path. */
const DASHBOARDS_IN_CONTAINER = '/etc/grafana/dashboards/blindspot';
const PROVISIONING_IN_CONTAINER = '/etc/grafana/provisioning';

interface DataSourceRef {
  type?: string;
  uid?: string;
}

interface Target {
  datasource?: DataSourceRef;
  expr?: string;
  refId?: string;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: DataSourceRef;
  targets?: Target[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  datasource?: DataSourceRef;
}

interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboards = readdirSync(DASHBOARDS)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    dashboard: JSON.parse(readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard,
  }));

/** Every panel, including those inside a collapsed row. */
function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Panels that show data. A row is only a heading: it has no query. */
function dataPanels(dashboard: Dashboard): Panel[] {
  return allPanels(dashboard).filter((panel) => panel.type !== 'row');
}

function exprsOf(dashboard: Dashboard): { panel: string; expr: string }[] {
  return dataPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? '' })),
  );
}

/** Blindspot metric names an expression uses, without a histogram's series suffix. */
function blindspotMetricsIn(expr: string): string[] {
  return [...expr.matchAll(/blindspot_[a-z_]+/g)].map(([name]) =>
    name.replace(/_(bucket|sum|count)$/, ''),
  );
}

function isDefinedInMetricsSource(name: string): boolean {
  return new RegExp(`['"\`]${name}['"\`]`).test(METRICS_SOURCE);
}

function readYaml(file: string): unknown {
  return parseYaml(readFileSync(file, 'utf8'));
}

describe('Grafana dashboards', () => {
  it('there are the four Blindspot dashboards, each with a stable uid named after its file', () => {
    expect(dashboards.map(({ file }) => file)).toEqual([
      'blindspot-database.json',
      'blindspot-deliveries.json',
      'blindspot-red.json',
      'blindspot-slack.json',
    ]);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.uid, file).toBe(file.replace(/\.json$/, ''));
      expect(dashboard.title, file).toMatch(/^Blindspot \/ /);
      expect(dashboard.tags, file).toContain('blindspot');
      expect(dashboard.schemaVersion, file).toBeGreaterThanOrEqual(39);
    }
    const uids = dashboards.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const titles = dashboards.map(({ dashboard }) => dashboard.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  describe.each(dashboards)('$file', ({ dashboard }) => {
    it('gives every panel its own id', () => {
      const ids = allPanels(dashboard).map((panel) => panel.id);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('lays panels out on the 24-column grid without overlapping', () => {
      const panels = allPanels(dashboard);
      for (const { title, gridPos } of panels) {
        expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
        expect(
          Math.min(gridPos.x, gridPos.y, gridPos.w - 1, gridPos.h - 1),
          title,
        ).toBeGreaterThanOrEqual(0);
      }
      for (const [i, a] of panels.entries()) {
        for (const b of panels.slice(i + 1)) {
          const overlap =
            a.gridPos.x < b.gridPos.x + b.gridPos.w &&
            b.gridPos.x < a.gridPos.x + a.gridPos.w &&
            a.gridPos.y < b.gridPos.y + b.gridPos.h &&
            b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `"${a.title}" and "${b.title}"`).toBe(false);
        }
      }
    });

    it('queries the provisioned Prometheus data source from every panel, with an expression', () => {
      const panels = dataPanels(dashboard);
      expect(panels.length).toBeGreaterThan(0);
      for (const panel of panels) {
        expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: 'prometheus' });
        const targets = panel.targets ?? [];
        expect(targets.length, panel.title).toBeGreaterThan(0);
        for (const target of targets) {
          expect(target.expr?.trim(), panel.title).toBeTruthy();
          if (target.datasource) expect(target.datasource.uid, panel.title).toBe('prometheus');
        }
        const refIds = targets.map((target) => target.refId);
        expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      }
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        expect(variable.datasource?.uid, variable.name).toBe('prometheus');
      }
    });

    it('names only metrics that src/observability/metrics.ts defines, or that are being added', () => {
      const unknown = exprsOf(dashboard).flatMap(({ panel, expr }) =>
        blindspotMetricsIn(expr)
          .filter((name) => !isDefinedInMetricsSource(name) && !METRICS_BEING_ADDED.has(name))
          .map((name) => `${panel}: ${name}`),
      );
      expect(unknown).toEqual([]);
    });

    it('uses only template variables the dashboard defines', () => {
      const defined = new Set(dashboard.templating.list.map((variable) => variable.name));
      const undefinedVariables = exprsOf(dashboard).flatMap(({ panel, expr }) =>
        [...expr.matchAll(/\$(\w+)/g)]
          .map(([, name]) => name ?? '')
          .filter((name) => !name.startsWith('__') && !defined.has(name))
          .map((name) => `${panel}: $${name}`),
      );
      expect(undefinedVariables).toEqual([]);
    });

    it('takes rates over $__rate_interval or the whole range, never a fixed window', () => {
      for (const { panel, expr } of exprsOf(dashboard)) {
        for (const [, window] of expr.matchAll(/\[([^\]]*)\]/g)) {
          expect(['$__rate_interval', '$__range'], `${panel}: ${expr}`).toContain(window);
        }
      }
    });

    it('computes every quantile from bucket rates summed by le', () => {
      for (const { panel, expr } of exprsOf(dashboard)) {
        const quantiles = expr.match(/histogram_quantile\(/g)?.length ?? 0;
        const wellFormed =
          expr.match(
            /histogram_quantile\(0\.\d+, sum by \(le(, \w+)*\) \((rate|increase)\(\w+_bucket(\{[^}]*\})?\[[^\]]+\]\)\)\)/g,
          )?.length ?? 0;
        expect(wellFormed, `${panel}: ${expr}`).toBe(quantiles);
      }
    });
  });
});

describe('Grafana provisioning', () => {
  it('provisions the dashboards folder from files that the UI cannot overwrite', () => {
    const config = readYaml(path.join(PROVISIONING, 'dashboards/blindspot.yml')) as {
      apiVersion: number;
      providers: {
        type: string;
        allowUiUpdates?: boolean;
        options: { path: string };
      }[];
    };
    expect(config.apiVersion).toBe(1);
    expect(config.providers).toHaveLength(1);
    const [provider] = config.providers;
    expect(provider?.type).toBe('file');
    expect(provider?.allowUiUpdates).toBe(false);
    expect(provider?.options.path).toBe(DASHBOARDS_IN_CONTAINER);
  });

  it('provisions Prometheus and Loki under the uids the dashboards refer to', () => {
    const config = readYaml(path.join(PROVISIONING, 'datasources/datasources.yml')) as {
      apiVersion: number;
      datasources: { uid: string; type: string; url: string; isDefault?: boolean }[];
    };
    expect(config.apiVersion).toBe(1);
    expect(config.datasources).toEqual([
      expect.objectContaining({
        uid: 'prometheus',
        type: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
      expect.objectContaining({ uid: 'loki', type: 'loki', url: 'http://loki:3100' }),
    ]);
  });

  const composeFile = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']
    .map((name) => path.join(ROOT, name))
    .find((file) => existsSync(file));

  it.skipIf(!composeFile)(
    'the compose file mounts the dashboards and the provisioning where Grafana looks',
    () => {
      const compose = readYaml(composeFile ?? '') as {
        services: Record<string, { image?: string; volumes?: (string | Volume)[] }>;
      };
      const grafana = Object.values(compose.services).find((service) =>
        service.image?.includes('grafana/grafana'),
      );
      expect(grafana, 'a service running grafana/grafana').toBeDefined();
      const mounts = (grafana?.volumes ?? []).map((volume) => mountOf(volume));
      const base = path.dirname(composeFile ?? '');
      const mounted = (source: string, target: string) =>
        mounts.some(
          (mount) => path.resolve(base, mount.source) === source && mount.target === target,
        );
      expect(mounted(DASHBOARDS, DASHBOARDS_IN_CONTAINER), DASHBOARDS_IN_CONTAINER).toBe(true);
      expect(mounted(PROVISIONING, PROVISIONING_IN_CONTAINER), PROVISIONING_IN_CONTAINER).toBe(
        true,
      );
    },
  );
});

interface Volume {
  source?: string;
  target?: string;
}

/** A compose volume in either syntax: "source:target[:mode]" or { source, target }. */
function mountOf(volume: string | Volume): { source: string; target: string } {
  if (typeof volume !== 'string')
    return { source: volume.source ?? '', target: volume.target ?? '' };
  const [source = '', target = ''] = volume.split(':');
  return { source, target: target.replace(/\/$/, '') };
}
