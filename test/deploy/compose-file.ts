/**
 * compose.yaml, parsed once for the tests that check it (compose.test.ts, the deployment's
 * shape; compose-security.test.ts, its secrets, roles and container privileges).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const COMPOSE_FILE = path.join(ROOT, 'compose.yaml');
export const COMPOSE_TEXT = readFileSync(COMPOSE_FILE, 'utf8');

export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  container_name?: string;
  restart?: string;
  init?: boolean;
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  logging?: { driver?: string; options?: Record<string, string> };
  deploy?: { resources?: { limits?: { memory?: string } } };
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  secrets?: string[];
}

export interface ComposeFile {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

// Merge keys (<<: *blindspot) resolved, as Docker Compose resolves them.
export const compose = parseYaml(COMPOSE_TEXT, { merge: true }) as ComposeFile;
export const services = compose.services;
export const names = Object.keys(services);

export const APP = ['api', 'bot', 'worker'];
export const MONITORING = [
  'prometheus',
  'alertmanager',
  'grafana',
  'loki',
  'alloy',
  'postgres-exporter',
];
/** The one-shot migrate container runs before api and worker start, and exits. */
export const ONE_SHOT = ['migrate'];
/** Memory Docker gets on a 2 GB droplet, less room for the kernel, dockerd and sshd. */
export const DROPLET_BUDGET_MIB = 1_792;

/** Every `${NAME...}` compose interpolates, with whether it has a default or a required message. */
export const variables = [
  ...COMPOSE_TEXT.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}/g),
].map(([, name = '', operator = '', rest = '']) => ({ name, operator, rest }));

export function commandOf(service: Service): string {
  return Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? '');
}
