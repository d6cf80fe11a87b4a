/**
 * deploy/kubernetes/'s example overlay as a network and a fleet: the autoscalers and disruption
 * budgets, the Services and what they select, and the Ingress against the gateway's own URL
 * layout (config/gateway/Caddyfile). kubernetes.test.ts checks the schemas and each pod.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  componentOf,
  containerOf,
  EXAMPLE_DIR,
  idOf,
  type Manifest,
  ofKind,
  podLabelsOf,
  ROOT,
  render,
  selects,
} from './kubernetes-manifests.ts';

const example = render(EXAMPLE_DIR);
const deployments = ofKind(example, 'Deployment');
const configMap = ofKind(example, 'ConfigMap')[0] as Manifest & { data: Record<string, string> };

describe('deploy/kubernetes, the example overlay', () => {
  it('autoscales the api and the bot, keeps the worker at two, and budgets every disruption', () => {
    const autoscaled = ofKind(example, 'HorizontalPodAutoscaler').map((hpa) => {
      const spec = hpa.spec as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
      };
      expect(spec.minReplicas, idOf(hpa)).toBeGreaterThanOrEqual(2);
      const target = deployments.find((d) => d.metadata.name === spec.scaleTargetRef.name);
      if (!target) throw new Error(`${idOf(hpa)} scales no Deployment of ours`);
      expect(target.kind).toBe(spec.scaleTargetRef.kind);
      // The autoscaler owns the count: an apply must not reset it.
      expect((target.spec as { replicas?: number }).replicas, idOf(hpa)).toBeUndefined();
      return componentOf(target);
    });
    expect(autoscaled.sort()).toEqual(['api', 'bot']);
    const worker = deployments.find((d) => componentOf(d) === 'worker');
    expect((worker?.spec as { replicas?: number } | undefined)?.replicas).toBe(2);

    const budgets = ofKind(example, 'PodDisruptionBudget');
    for (const deployment of deployments) {
      const covering = budgets.filter((pdb) =>
        selects(
          (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
          podLabelsOf(deployment),
        ),
      );
      expect(covering.map((pdb) => (pdb.spec as { minAvailable?: number }).minAvailable)).toEqual([
        1,
      ]);
    }
  });

  it('routes the Caddyfile’s public paths, and only those, to Services that serve them', () => {
    const caddyfile = readFileSync(path.join(ROOT, 'config/gateway/Caddyfile'), 'utf8');
    const apiPaths = (/^\s*@api path (.+)$/m.exec(caddyfile)?.[1] ?? '').split(/\s+/);
    expect(caddyfile).toMatch(/handle \/slack\/\* \{\s*import proxy_to bot/);
    const expected = [
      ['/slack/*', 'blindspot-bot'],
      ...apiPaths.map((p) => [p, 'blindspot-api']),
    ].sort();

    const [ingress, ...more] = ofKind(example, 'Ingress');
    expect(more).toEqual([]);
    type Path = {
      path: string;
      pathType: string;
      backend: { service: { name: string; port: { name: string } } };
    };
    const spec = ingress?.spec as { rules: { http: { paths: Path[] } }[] };
    const routed = spec.rules.flatMap((rule) => rule.http.paths);
    // Prefix /admin matches /admin and /admin/..., as the Caddyfile's pair of patterns does.
    const asCaddy = routed.flatMap(({ path: p, pathType, backend }) =>
      pathType === 'Exact'
        ? [[p, backend.service.name]]
        : p.endsWith('/')
          ? [[`${p}*`, backend.service.name]]
          : [
              [p, backend.service.name],
              [`${p}/*`, backend.service.name],
            ],
    );
    expect(asCaddy.sort()).toEqual(expected);

    const servicesByName = new Map(ofKind(example, 'Service').map((s) => [s.metadata.name, s]));
    for (const { backend } of routed) {
      const service = servicesByName.get(backend.service.name);
      if (!service) throw new Error(`the Ingress routes to ${backend.service.name}, not ours`);
      const ports = (service.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
      expect(ports).toContain(backend.service.port.name);
    }
    // The api tells the internet's requests by this header (src/api/plugins/gateway-rules.ts).
    expect(JSON.stringify(ingress?.metadata)).toContain(
      'more_set_input_headers \\"X-Blindspot-Gateway: 1\\"',
    );
  });

  it('selects each Service’s pods by labels they carry, on a port they name', () => {
    for (const service of ofKind(example, 'Service')) {
      const spec = service.spec as {
        selector: Record<string, string>;
        ports: { targetPort: string }[];
      };
      const selected = deployments.filter((d) => selects(spec.selector, podLabelsOf(d)));
      expect(selected, idOf(service)).toHaveLength(1);
      const names = containerOf(selected[0] as Manifest).ports?.map((p) => p.name);
      for (const port of spec.ports) expect(names).toContain(port.targetPort);
    }
    expect(configMap.data.API_URL).toBe('http://blindspot-api:3000');
  });
});
