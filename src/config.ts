/**
 * The only reader of process.env. Every variable is declared once, in `EnvSchema`; the
 * `Config` type is derived from it, so the two cannot drift. `loadConfig` lists every problem
 * at once, so an operator fixes a broken `.env` in one pass instead of one restart per mistake.
 */
import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { ENCRYPTION_KEYS_VARIABLE, parseEncryptionKeys } from './core/secrets/keyring.ts';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);
const Milliseconds = (defaultValue: number, minimum = 1) =>
  Type.Integer({ minimum, maximum: 3_600_000, default: defaultValue });
const Secret = (prefix?: string) =>
  Type.Optional(Type.String({ minLength: 1, ...(prefix ? { pattern: `^${prefix}` } : {}) }));

export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union(
    ['development', 'production', 'test'].map((l) => Type.Literal(l)),
    {
      default: 'development',
    },
  ),
  LOG_LEVEL: Type.Union(LogLevel.anyOf, { default: 'info' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),

  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  EMBEDDED_POSTGRES_DIR: Type.String({ minLength: 1, default: '.data/postgres' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  DB_CONNECTION_TIMEOUT_MS: Milliseconds(2_000),
  DB_IDLE_TIMEOUT_MS: Milliseconds(30_000),
  DB_STATEMENT_TIMEOUT_MS: Milliseconds(5_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: Milliseconds(10_000),
  DB_SLOW_QUERY_MS: Milliseconds(200, 0),

  SLACK_BOT_TOKEN: Secret('xox[bp]-'),
  SLACK_SIGNING_SECRET: Secret(),
  SLACK_APP_TOKEN: Secret('xapp-'),
  SLACK_API_URL: Type.String({ pattern: '^https?://.+/$', default: 'https://slack.com/api/' }),

  API_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  API_SERVICE_TOKEN: Type.Optional(Type.String({ minLength: 32 })),
  // The key the bot signs each API call with (src/http/service-signature.ts): the token alone,
  // leaked, does not let anyone act for a manager.
  API_SIGNING_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 32 })),
  // How long an API request may spend on the database before it is answered 503; see
  // src/db/deadline.ts and docs/performance.md.
  API_DEADLINE_MS: Milliseconds(1_500, 100),
  // Requests one client address may make to /api per minute, per api process; 0 turns the limit
  // off. The bot's calls are limited per Slack user below. See src/api/plugins/rate-limit.ts.
  API_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 600 }),
  // The bot's calls for one Slack user, per minute, per api process; 0 turns it off.
  API_RATE_LIMIT_PER_USER_PER_MINUTE: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 300,
  }),

  // The admin web app (issue 13; docs/operations/security.md). PUBLIC_URL is where people
  // reach Blindspot (for setup, invitation and reset links); unset, the listen address.
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+(/.*)?$' })),
  ADMIN_SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 1_440, default: 30 }),
  ADMIN_SESSION_ABSOLUTE_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 12 }),
  // smtp(s)://user:password@host:port; unset, invitation and reset links are shown to the admin
  // who made them instead of mailed. Needs PUBLIC_URL, the base of the links mailed.
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.String({ minLength: 3, default: 'Blindspot <blindspot@localhost>' }),
  // "Sign in with Slack" (OpenID Connect) is offered when both are set; the issuer is Slack's
  // unless a test points it at the stand-in.
  SLACK_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  SLACK_CLIENT_SECRET: Secret(),
  SLACK_OIDC_ISSUER: Type.String({ pattern: '^https?://[^/]+', default: 'https://slack.com' }),
  // Many workspaces (issue 16; docs/user-guide/slack-setup.md): with SLACK_CLIENT_ID,
  // SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET and no SLACK_BOT_TOKEN, each workspace installs
  // through "Add to Slack" and its tokens are kept in the database, sealed under these keys:
  // `id:base64key,...` (32 random bytes each); the first seals, all open. See
  // docs/operations/security.md for rotating them.
  BLINDSPOT_ENCRYPTION_KEYS: Secret(),
  // Analytics (docs/api/analytics.md): a number behind fewer managers than this is suppressed.
  // Never below 3: with two, each of them could subtract their own share and learn the other's.
  ANALYTICS_MIN_GROUP: Type.Integer({ minimum: 3, maximum: 1_000, default: 5 }),

  // The in-browser sandbox (docs/user-guide/sandbox.md): `auto` serves it at / when Slack is not
  // configured and NODE_ENV is not production; `on` serves it at /sandbox (and at / while Slack is
  // off) even then; `off` never. It runs the real bot against an emulated Slack, on a database of
  // its own (SANDBOX_DATABASE_URL, or the main database's name with `_sandbox`).
  SANDBOX: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    default: 'auto',
  }),
  SANDBOX_DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),

  // Deliveries, reminders and answers older than this many days are deleted each night
  // (src/worker/tasks/purge-old-data.ts; docs/operations/security.md). Two years by default.
  RETENTION_DAYS: Type.Integer({ minimum: 30, maximum: 36_500, default: 730 }),

  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 50, default: 4 }),
  SHUTDOWN_TIMEOUT_MS: Milliseconds(10_000),

  // Seconds of a quiet event loop after which a process gives its spare heap back to the system
  // (src/heap-trimmer.ts; decision 0016); 0 never does. Ten: a trim decided on a few quiet
  // seconds paused the bench's phases as they started (each follows a second or two of quiet).
  HEAP_TRIM_QUIET_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 10 }),
});

export type Config = Readonly<Static<typeof EnvSchema>>;
export type Service = 'all-in-one' | 'api' | 'bot' | 'worker' | 'migrate';

/** Thrown with every problem found, one per line, ready to print. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const SECRET_KEYS = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'API_SERVICE_TOKEN',
  'API_SIGNING_SECRET',
  'ADMIN_API_KEY',
  'SMTP_URL',
  'SLACK_CLIENT_SECRET',
  'BLINDSPOT_ENCRYPTION_KEYS',
]);

/**
 * Secrets that may come from a file instead: `X_FILE` names a file whose trimmed content is X.
 * Docker secrets arrive that way (compose.yaml mounts them under /run/secrets), which keeps them
 * out of `docker inspect` and out of every child process's environment.
 */
const FILE_KEYS = [...SECRET_KEYS, 'DATABASE_URL', 'SANDBOX_DATABASE_URL'];

function readSecretFiles(env: NodeJS.ProcessEnv, values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of FILE_KEYS) {
    const file = env[`${key}_FILE`]?.trim();
    if (!file) continue;
    if (values[key] !== undefined) {
      problems.push(`${key} and ${key}_FILE are both set: set one of them`);
      continue;
    }
    try {
      const value = readFileSync(file, 'utf8').trim();
      if (value !== '') values[key] = value;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      problems.push(`${key}_FILE=${JSON.stringify(file)} cannot be read (${code})`);
    }
  }
  return problems;
}

function schemaErrors(values: Record<string, unknown>): string[] {
  // Each variable is checked on its own: TypeBox stops reporting after a failed union, and an
  // operator should see every problem in one pass.
  const problems: string[] = [];
  for (const [name, property] of Object.entries(EnvSchema.properties)) {
    const value = values[name];
    if (value === undefined || Value.Check(property, value)) continue;
    const shown = SECRET_KEYS.has(name) || name.endsWith('DATABASE_URL') ? '(hidden)' : value;
    const allowed =
      'anyOf' in property
        ? `one of ${(property.anyOf as { const: string }[]).map((s) => s.const).join(', ')}`
        : describeConstraint(property as unknown as Record<string, unknown>);
    problems.push(`${name}=${JSON.stringify(shown)} is invalid: expected ${allowed}`);
  }
  return problems;
}

function describeConstraint(property: Record<string, unknown>): string {
  if (property.type === 'integer') {
    return `an integer from ${property.minimum} to ${property.maximum}`;
  }
  if (property.pattern) return `a value matching ${property.pattern}`;
  if (property.minLength) return `at least ${property.minLength} characters`;
  return 'a valid value';
}

/**
 * Many-workspace mode: no bot token of its own, each workspace installs the app with OAuth and
 * the bot asks the API for that workspace's token per event.
 */
export function isOAuthMode(config: Config): boolean {
  return Boolean(
    !config.SLACK_BOT_TOKEN &&
      config.SLACK_SIGNING_SECRET &&
      config.SLACK_CLIENT_ID &&
      config.SLACK_CLIENT_SECRET,
  );
}

function encryptionKeyErrors(config: Config, service: Service): string[] {
  if (config.BLINDSPOT_ENCRYPTION_KEYS) {
    return parseEncryptionKeys(config.BLINDSPOT_ENCRYPTION_KEYS).problems;
  }
  // The bot never sees a sealed token: the API opens them and answers over the signed channel.
  const keepsTokens = service === 'api' || service === 'all-in-one';
  return keepsTokens && isOAuthMode(config)
    ? [
        `${ENCRYPTION_KEYS_VARIABLE} is required to install into many workspaces (Slack tokens are encrypted at rest); deploy/init-env generates one`,
      ]
    : [];
}

function serviceErrors(config: Config, service: Service): string[] {
  const problems: string[] = [...encryptionKeyErrors(config, service)];
  const oauth = isOAuthMode(config);
  const hasHttpSlack = Boolean((config.SLACK_BOT_TOKEN || oauth) && config.SLACK_SIGNING_SECRET);
  // HTTP mode verifies requests with the signing secret; Socket Mode has no requests to verify.
  if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)',
    );
  }
  if (config.SLACK_SIGNING_SECRET && !config.SLACK_BOT_TOKEN && !oauth) {
    problems.push(
      'SLACK_SIGNING_SECRET also needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Add to Slack)',
    );
  }
  if (config.SLACK_APP_TOKEN && !config.SLACK_BOT_TOKEN) {
    problems.push('SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN');
  }
  const needsDatabaseUrl = service === 'api' || service === 'worker';
  if (needsDatabaseUrl && !config.DATABASE_URL) {
    problems.push(`DATABASE_URL is required for the ${service} service`);
  }
  if (service === 'api' && !config.API_SERVICE_TOKEN) {
    problems.push(
      'API_SERVICE_TOKEN is required for the api service (the bot authenticates with it)',
    );
  }
  if (service === 'bot') {
    if (!hasHttpSlack && !(config.SLACK_BOT_TOKEN && config.SLACK_APP_TOKEN)) {
      problems.push(
        'the bot service needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)',
      );
    }
    if (!config.API_URL) problems.push('API_URL is required for the bot service');
    if (!config.API_SERVICE_TOKEN)
      problems.push('API_SERVICE_TOKEN is required for the bot service');
  }
  // A mailed link built from the request's Host header would point wherever the requester
  // named: a password-reset request with a forged Host would mail the victim a link to the
  // attacker's site, token included. Mail only links under a configured address.
  if (config.SMTP_URL && !config.PUBLIC_URL) {
    problems.push('SMTP_URL needs PUBLIC_URL: mailed links are made from it, never from a request');
  }
  if ((service === 'api' || service === 'bot') && !config.API_SIGNING_SECRET) {
    problems.push(
      `API_SIGNING_SECRET is required for the ${service} service (the bot signs its calls with it)`,
    );
  }
  return problems;
}

/**
 * Parses and validates the environment for one service.
 * Empty strings count as unset, as they do in most `.env` tooling; so does an empty secret file.
 * @throws ConfigError listing every problem found.
 */
export function loadConfig(env: NodeJS.ProcessEnv, service: Service): Config {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') values[key] = value.trim();
  }
  const fileProblems = readSecretFiles(env, values);
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, values)) as Record<
    string,
    unknown
  >;
  const config = Object.freeze(converted as Config);
  // Service rules only test presence, so they are safe to run on values that failed the schema.
  const problems = [...fileProblems, ...schemaErrors(converted), ...serviceErrors(config, service)];
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The configuration as it is safe to log: secrets and credentials replaced by their presence. */
export function describeConfig(config: Config): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (SECRET_KEYS.has(key)) described[key] = value ? '(set)' : '(unset)';
    else if (key === 'DATABASE_URL')
      described[key] = value ? redactUrl(String(value)) : '(embedded)';
    else if (key === 'SANDBOX_DATABASE_URL')
      described[key] = value ? redactUrl(String(value)) : '(derived)';
    else described[key] = value;
  }
  return described;
}

/** Drops the password from a connection string, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
