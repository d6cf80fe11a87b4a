/**
 * deploy/kubernetes/ read the way Kustomize reads it, for kubernetes.test.ts and
 * kubernetes-routing.test.ts, with no kustomize binary: a kustomization's `resources` (files
 * and directories), then its `namespace`, `images` and `patches` (strategic merges of maps,
 * which is all our overlays use; a patch with a list in it is refused rather than merged
 * wrongly). Where kubectl is installed, kubernetes.test.ts compares this rendering with
 * `kubectl kustomize`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const KUBERNETES_DIR = path.join(ROOT, 'deploy/kubernetes');
export const BASE_DIR = path.join(KUBERNETES_DIR, 'base');
export const EXAMPLE_DIR = path.join(KUBERNETES_DIR, 'overlays/example');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { path: string }[];
}

/** Kinds that live outside any namespace, among those Blindspot's manifests use. */
const CLUSTER_SCOPED = new Set(['Namespace']);

export function parseYamlDocuments(text: string, source: string): Manifest[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
    return document.toJS() as Manifest;
  });
}

export function readYamlDocuments(file: string): Manifest[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

export function readKustomization(dir: string): Kustomization {
  return readYamlDocuments(path.join(dir, 'kustomization.yaml'))[0] as unknown as Kustomization;
}

export function idOf(manifest: Manifest): string {
  return `${manifest.kind}/${manifest.metadata.namespace ?? ''}/${manifest.metadata.name}`;
}

/** Every file a kustomization reads, its own and its bases', as absolute paths. */
export function filesRead(dir: string): string[] {
  const kustomization = readKustomization(dir);
  const files = [path.join(dir, 'kustomization.yaml')];
  for (const entry of kustomization.resources ?? []) {
    const target = path.resolve(dir, entry);
    files.push(...(statSync(target).isDirectory() ? filesRead(target) : [target]));
  }
  for (const patch of kustomization.patches ?? []) files.push(path.resolve(dir, patch.path));
  return files;
}

export function render(dir: string): Manifest[] {
  const kustomization = readKustomization(dir);
  let manifests: Manifest[] = [];
  for (const entry of kustomization.resources ?? []) {
    const target = path.resolve(dir, entry);
    manifests.push(
      ...(statSync(target).isDirectory() ? render(target) : readYamlDocuments(target)),
    );
  }
  for (const patch of kustomization.patches ?? []) {
    for (const change of readYamlDocuments(path.resolve(dir, patch.path))) {
      const index = manifests.findIndex(
        (m) => m.kind === change.kind && m.metadata.name === change.metadata.name,
      );
      if (index < 0) throw new Error(`${patch.path}: no ${change.kind} ${change.metadata.name}`);
      manifests[index] = mergeMaps(manifests[index], change, patch.path) as Manifest;
    }
  }
  if (kustomization.namespace) {
    const namespace = kustomization.namespace;
    manifests = manifests.map((m) =>
      CLUSTER_SCOPED.has(m.kind) ? m : { ...m, metadata: { ...m.metadata, namespace } },
    );
  }
  for (const image of kustomization.images ?? []) {
    for (const container of containersOf(manifests)) {
      if (imageName(container.image) !== image.name) continue;
      const name = image.newName ?? image.name;
      container.image = image.digest
        ? `${name}@${image.digest}`
        : `${name}:${image.newTag ?? imageTag(container.image) ?? 'latest'}`;
    }
  }
  return manifests;
}

function mergeMaps(target: unknown, patch: unknown, file: string): unknown {
  if (Array.isArray(patch)) throw new Error(`${file}: lists are not merged by this renderer`);
  if (patch === null || typeof patch !== 'object') return patch;
  const merged: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    merged[key] = mergeMaps(merged[key], value, file);
  }
  return merged;
}

/** `registry.example.com:5000/blindspot:v1` -> `registry.example.com:5000/blindspot`. */
export function imageName(image: string | undefined): string {
  const reference = (image ?? '').split('@')[0] ?? '';
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? reference.slice(0, colon) : reference;
}

export function imageTag(image: string | undefined): string | undefined {
  const reference = image ?? '';
  if (reference.includes('@')) return undefined;
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  return colon > slash ? reference.slice(colon + 1) : undefined;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; secret?: unknown; projected?: unknown }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  automountServiceAccountToken?: boolean;
}

/** The pod template of a Deployment or a Job. */
export function podSpecOf(manifest: Manifest): PodSpec | undefined {
  const spec = manifest.spec as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

export function podLabelsOf(manifest: Manifest): Record<string, string> {
  const spec = manifest.spec as { template?: { metadata?: { labels?: Record<string, string> } } };
  return spec?.template?.metadata?.labels ?? {};
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** api, bot, worker or migrate: the label every pod template carries. */
export function componentOf(manifest: Manifest): string {
  return podLabelsOf(manifest)['app.kubernetes.io/component'] ?? '';
}

/** The one container of a Blindspot pod (each runs exactly one). */
export function containerOf(manifest: Manifest): Container {
  const containers = podSpecOf(manifest)?.containers ?? [];
  if (containers.length !== 1)
    throw new Error(`${idOf(manifest)}: ${containers.length} containers`);
  return containers[0] as Container;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export function containersOf(manifests: Manifest[]): Container[] {
  return manifests.flatMap((m) => {
    const pod = podSpecOf(m);
    return pod ? [...pod.containers, ...(pod.initContainers ?? [])] : [];
  });
}

/** Mebibytes in a Kubernetes quantity such as `288Mi` or `1Gi`. */
export function mebibytes(quantity: string | number | undefined): number {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(String(quantity ?? ''));
  if (!match) return Number.NaN;
  const factor = { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[match[2] as 'Ki' | 'Mi' | 'Gi'];
  return Number(match[1]) * factor;
}

/** Every YAML file under a directory, relative to it. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}
