/**
 * deploy/kubernetes/, checked without a cluster: every object valid against the Kubernetes
 * schemas with no field the API does not define, the base and the example overlay rendered as
 * Kustomize renders them (and by `kubectl kustomize` where kubectl is installed), and the rules
 * the manifests promise in their comments and in docs/operations/kubernetes.md: probes,
 * resources, privileges, secrets only from the Secret, one pinned image, compose's commands and
 * memory limits, and the gateway's URL layout.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig, type Service } from '../../src/config.ts';
import { commandOf, services as composeServices } from './compose-file.ts';
import {
  BASE_DIR,
  type Container,
  componentOf,
  containerOf,
  containersOf,
  EXAMPLE_DIR,
  filesRead,
  idOf,
  imageName,
  imageTag,
  KUBERNETES_DIR,
  type Manifest,
  mebibytes,
  ofKind,
  parseYamlDocuments,
  podSpecOf,
  ROOT,
  readKustomization,
  readYamlDocuments,
  render,
  yamlFilesUnder,
} from './kubernetes-manifests.ts';
import { schemaErrors, unknownFieldErrors } from './kubernetes-schemas.ts';

const run = promisify(execFile);

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && existsSync(path.join(dir, command)));
}

const base = render(BASE_DIR);
const example = render(EXAMPLE_DIR);
const SECRET_EXAMPLE = path.join(EXAMPLE_DIR, 'secret.example.yaml');
const secretExample = readYamlDocuments(SECRET_EXAMPLE)[0] as Manifest & {
  stringData: Record<string, string>;
};
/** Read by Node itself, not by src/config.ts. */
const NODE_OWN = new Set(['NODE_OPTIONS']);
const COMPONENTS = ['api', 'bot', 'worker', 'migrate'] as const;

const deployments = ofKind(example, 'Deployment');
const workloads = [...deployments, ...ofKind(example, 'Job')];
const configMap = ofKind(example, 'ConfigMap')[0] as Manifest & { data: Record<string, string> };

/** A value each secret would have in a real Secret, good enough for src/config.ts. */
function dummySecret(name: string): string {
  if (name.endsWith('DATABASE_URL')) return 'postgres://blindspot@db.example.com:5432/blindspot';
  if (name === 'SLACK_BOT_TOKEN') return 'xoxb-0123456789';
  if (name === 'SLACK_APP_TOKEN') return 'xapp-0123456789';
  if (name === 'SMTP_URL') return 'smtp://mail.example.com:25';
  return 'x'.repeat(40);
}

describe('deploy/kubernetes', () => {
  it('renders the base and the example overlay with each object once', () => {
    for (const manifests of [base, example]) {
      const ids = manifests.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(COMPONENTS.map((c) => workloads.find((w) => componentOf(w) === c)?.kind)).toEqual([
      'Deployment',
      'Deployment',
      'Deployment',
      'Job',
    ]);
    expect(example.filter((m) => m.kind !== 'Namespace').map((m) => m.metadata.namespace)).toEqual(
      example.filter((m) => m.kind !== 'Namespace').map(() => 'blindspot'),
    );
  });

  it('is valid against the Kubernetes schemas, base and overlay', async () => {
    for (const manifest of [...base, ...example]) {
      expect(await schemaErrors(manifest), idOf(manifest)).toEqual([]);
    }
    expect(await schemaErrors(secretExample)).toEqual([]);
  });

  it('uses no field the Kubernetes API does not define', () => {
    const manifests = [...example, secretExample];
    const errors = unknownFieldErrors(manifests);
    const named = [...errors].map(([i, messages]) => [idOf(manifests[i] as Manifest), messages]);
    expect(named).toEqual([]);
  }, 60_000);

  it('would catch a wrong type and a misspelt field (the checks can fail)', async () => {
    const api = structuredClone(deployments.find((d) => componentOf(d) === 'api')) as Manifest;
    (api.spec as { replicas?: unknown }).replicas = 'two';
    expect(await schemaErrors(api)).toEqual(['/spec/replicas must be integer']);

    const bot = structuredClone(deployments.find((d) => componentOf(d) === 'bot')) as Manifest;
    const container = containerOf(bot) as Container & Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    expect(await schemaErrors(bot)).toEqual([]);
    const errors = unknownFieldErrors([bot]).get(0) ?? [];
    expect(errors.join('\n')).toMatch(/readinesProbe.* does not exist in type 'IContainer'/);
  }, 60_000);

  it.skipIf(!onPath('kubectl'))(
    'renders the example overlay as kubectl kustomize does',
    async () => {
      const { stdout } = await run('kubectl', ['kustomize', EXAMPLE_DIR], { cwd: ROOT });
      const rendered = parseYamlDocuments(stdout, 'kubectl kustomize');
      const byId = (manifests: Manifest[]) =>
        Object.fromEntries(manifests.map((m) => [idOf(m), m]));
      expect(byId(rendered)).toEqual(byId(example));
    },
    30_000,
  );

  it('lists every file in its kustomization; the Secret example in none', () => {
    for (const dir of [BASE_DIR, EXAMPLE_DIR]) {
      const kustomization = readKustomization(dir);
      const listed = [
        ...(kustomization.resources ?? []),
        ...(kustomization.patches ?? []).map((p) => p.path),
      ].filter((entry) => !entry.startsWith('..'));
      const present = yamlFilesUnder(dir).filter(
        (file) => file !== 'kustomization.yaml' && !file.endsWith('.example.yaml'),
      );
      expect(listed.sort(), dir).toEqual(present);
    }
    const read = new Set(filesRead(EXAMPLE_DIR).map((file) => path.relative(KUBERNETES_DIR, file)));
    const all = yamlFilesUnder(KUBERNETES_DIR).filter((f) => !f.endsWith('.example.yaml'));
    expect([...read].sort()).toEqual(all);
    expect(read.has(path.relative(KUBERNETES_DIR, SECRET_EXAMPLE))).toBe(false);
    for (const value of Object.values(secretExample.stringData)) expect(value).toMatch(/CHANGE-ME/);
  });

  it('runs each service as compose does: same command, same memory limit, a heap that fits', () => {
    for (const workload of workloads) {
      const component = componentOf(workload);
      const compose = composeServices[component];
      const container = containerOf(workload);
      expect(container.command?.join(' '), component).toBe(commandOf(compose ?? {}));
      const limit = mebibytes(container.resources?.limits?.memory);
      expect(limit, component).toBe(
        Number(/^(\d+)M$/.exec(compose?.deploy?.resources?.limits?.memory ?? '')?.[1]),
      );
      const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
      expect(nodeOptions, component).toBe(compose?.environment?.NODE_OPTIONS);
      const flag = (name: string) => Number(new RegExp(`--${name}=(\\d+)`).exec(nodeOptions)?.[1]);
      // As compose.test.ts: V8's heap (old space + 3 semi-spaces) plus ~96 MB of Node.
      expect(flag('max-old-space-size') + 3 * flag('max-semi-space-size') + 96).toBeLessThan(limit);
    }
  });

  it('gives every container requests and limits, requests within limits', () => {
    for (const workload of workloads) {
      const { requests = {}, limits = {} } = containerOf(workload).resources ?? {};
      const id = idOf(workload);
      for (const resource of ['cpu', 'memory']) {
        expect(requests[resource], `${id} requests.${resource}`).toBeDefined();
        expect(limits[resource], `${id} limits.${resource}`).toBeDefined();
      }
      expect(mebibytes(requests.memory), id).toBeLessThanOrEqual(mebibytes(limits.memory));
      const cores = (q: string | number | undefined) =>
        String(q).endsWith('m') ? Number.parseInt(String(q), 10) / 1000 : Number(q);
      expect(cores(requests.cpu), id).toBeLessThanOrEqual(cores(limits.cpu));
    }
  });

  it('states each pod’s requests and limits in docs/operations/kubernetes.md as they are', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/operations/kubernetes.md'), 'utf8');
    const cores = (q: string | number | undefined) =>
      String(q) === '1' ? '1 core' : String(q).endsWith('m') ? String(q) : `${q} cores`;
    for (const workload of workloads) {
      const { requests = {}, limits = {} } = containerOf(workload).resources ?? {};
      const row = new RegExp(`^\\| ${componentOf(workload)} \\|.*\\|(.*)\\|(.*)\\|$`, 'm').exec(
        doc,
      );
      expect(row?.[1]?.trim(), componentOf(workload)).toBe(`${requests.cpu}, ${requests.memory}`);
      expect(row?.[2]?.trim(), componentOf(workload)).toBe(
        `${cores(limits.cpu)}, ${limits.memory}`,
      );
    }
  });

  it('probes every Deployment: liveness on /healthz, readiness on /readyz, at the port it serves', () => {
    expect(configMap.data.PORT).toBe('3000');
    for (const deployment of deployments) {
      const container = containerOf(deployment);
      const http = container.ports?.find((p) => p.name === 'http');
      expect(http?.containerPort, idOf(deployment)).toBe(Number(configMap.data.PORT));
      expect(container.livenessProbe?.httpGet, idOf(deployment)).toEqual({
        path: '/healthz',
        port: 'http',
      });
      expect(container.readinessProbe?.httpGet, idOf(deployment)).toEqual({
        path: '/readyz',
        port: 'http',
      });
    }
  });

  it('runs as non-root with a read-only root file system and no capabilities', () => {
    for (const workload of workloads) {
      const pod = podSpecOf(workload);
      const container = containerOf(workload);
      const id = idOf(workload);
      expect(pod?.securityContext?.runAsNonRoot, id).toBe(true);
      expect(pod?.securityContext?.runAsUser, id).toBe(1000);
      expect(pod?.automountServiceAccountToken, id).toBe(false);
      expect(container.securityContext, id).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('takes secrets only from the Secret, key by key, and sets only variables src/config.ts reads', () => {
    const known = new Set(Object.keys(EnvSchema.properties));
    for (const key of Object.keys(configMap.data)) expect(known, `ConfigMap ${key}`).toContain(key);
    for (const workload of workloads) {
      const container = containerOf(workload);
      const id = idOf(workload);
      expect(
        podSpecOf(workload)?.volumes?.filter((v) => v.secret || v.projected),
        id,
      ).toEqual([]);
      for (const source of container.envFrom ?? []) {
        expect(source, id).toEqual({ configMapRef: { name: 'blindspot-config' } });
      }
      for (const variable of container.env ?? []) {
        if (!NODE_OWN.has(variable.name))
          expect(known, `${id} ${variable.name}`).toContain(variable.name);
        const secret = /TOKEN|SECRET|KEY|DATABASE_URL|SMTP_URL/.test(variable.name);
        if (!secret) {
          expect(variable.valueFrom, `${id} ${variable.name}`).toBeUndefined();
          continue;
        }
        expect(variable.value, `${id} ${variable.name}`).toBeUndefined();
        const ref = variable.valueFrom?.secretKeyRef;
        expect(ref?.name, `${id} ${variable.name}`).toBe(secretExample.metadata.name);
        // A required key is in the example; an optional one is named in its comments.
        if (ref?.optional) expect(readFileSync(SECRET_EXAMPLE, 'utf8')).toContain(`${ref.key}:`);
        else expect(Object.keys(secretExample.stringData), id).toContain(ref?.key);
      }
    }
  });

  it('gives each service all the configuration it needs to start, with the example Secret’s keys', () => {
    for (const workload of workloads) {
      const container = containerOf(workload);
      const env: Record<string, string> = { ...configMap.data };
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (variable.value !== undefined) env[variable.name] = variable.value;
        else if (ref && ref.key in secretExample.stringData) {
          env[variable.name] = dummySecret(variable.name);
        }
      }
      const service = componentOf(workload) as Service;
      expect(() => loadConfig(env, service), service).not.toThrow();
      expect(loadConfig(env, service).NODE_ENV).toBe('production');
    }
  });

  it('mounts the database’s CA, when there is one, where the example connection strings name it', () => {
    for (const workload of workloads) {
      const container = containerOf(workload) as Container & {
        volumeMounts?: { name: string; mountPath: string }[];
      };
      const ref = container.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      if (!ref) continue;
      const url = new URL(secretExample.stringData[ref.key] ?? '');
      const mount = container.volumeMounts?.find((m) => m.name === 'database-ca');
      expect(url.searchParams.get('sslmode'), ref.key).toBe('verify-full');
      expect(path.dirname(url.searchParams.get('sslrootcert') ?? ''), ref.key).toBe(
        mount?.mountPath,
      );
      const volume = podSpecOf(workload)?.volumes?.find((v) => v.name === 'database-ca') as {
        configMap?: { optional?: boolean };
      };
      expect(volume?.configMap?.optional, idOf(workload)).toBe(true);
    }
  });

  it('runs one image, named as compose names it and pinned to a release tag by the overlay', () => {
    const composeImage = /^\$\{BLINDSPOT_IMAGE:-([^}]+)\}:/.exec(composeServices.api?.image ?? '');
    expect(new Set(containersOf(base).map((c) => c.image))).toEqual(new Set([composeImage?.[1]]));
    const [pin, ...others] = readKustomization(EXAMPLE_DIR).images ?? [];
    expect(others).toEqual([]);
    expect(pin?.name).toBe(composeImage?.[1]);
    // A release tag, as BLINDSPOT_VERSION in docs/operations/upgrades.md; never `latest`.
    expect(pin?.newTag).toMatch(/^v\d+\.\d+\.\d+$/);
    const images = new Set(containersOf(example).map((c) => c.image));
    expect(images).toEqual(new Set([`${pin?.newName}:${pin?.newTag}`]));
    const [image = ''] = images;
    expect([imageName(image), imageTag(image)]).toEqual([pin?.newName, pin?.newTag]);
  });
});
