/**
 * The admin API over real HTTP for tests of accounts, sessions and second factors: the API on a
 * test database with a clock the test moves, accounts made through the business layer, and a
 * browser-like client that keeps its cookies and sends the CSRF token as the web app does.
 */
import type { Kysely } from 'kysely';
import type { AdminApiOptions } from '../../src/api/admin-api.ts';
import { registerApi } from '../../src/api/app.ts';
import { hashPassword } from '../../src/core/admin-accounts/passwords.ts';
import { insertAccount } from '../../src/core/admin-accounts/repositories/accounts.ts';
import type { AdminRole } from '../../src/core/admin-accounts/rules.ts';
import type { Database } from '../../src/db/schema.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { TEST_SERVICE_TOKEN } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { TEST_API_SIGNING_SECRET } from './service-calls.ts';

/** A clock the test sets and moves; the API reads it for every time-dependent rule. */
export class TestClock {
  #now: Date;
  constructor(start = new Date()) {
    this.#now = start;
  }
  readonly now = (): Date => new Date(this.#now.getTime());
  set(at: Date): void {
    this.#now = at;
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

export interface AdminApi {
  url: string;
  db: Kysely<Database>;
  database: TestDatabase;
  server: HttpServer;
  clock: TestClock;
  close(): Promise<void>;
}

export async function startAdminApi(
  options: { admin?: AdminApiOptions; clock?: TestClock } = {},
): Promise<AdminApi> {
  const database = await createTestDatabase();
  const clock = options.clock ?? new TestClock();
  const server = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics: createMetrics(),
  });
  await registerApi(server, {
    db: database.db,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    metrics: createMetrics(),
    version: 'test',
    now: clock.now,
    admin: options.admin,
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    db: database.db,
    database,
    server,
    clock,
    close: async () => {
      await server.close();
      await database.drop();
    },
  };
}

let accounts = 0;

export interface TestAccount {
  id: string;
  email: string;
  password: string;
}

/** An active account with a password, made as the business layer makes one. */
export async function createAccount(
  db: Kysely<Database>,
  options: { role?: AdminRole; email?: string; status?: 'active' | 'invited' | 'deactivated' } = {},
): Promise<TestAccount> {
  accounts += 1;
  const email = options.email ?? `person-${accounts}-${process.pid}@example.com`;
  const password = `correct horse battery staple ${accounts}`;
  const id = await insertAccount(db, {
    email,
    displayName: `Person ${accounts}`,
    role: options.role ?? 'admin',
    status: options.status ?? 'active',
    passwordHash: await hashPassword(password),
    now: new Date(),
  });
  if (!id) throw new Error(`account ${email} exists already`);
  return { id, email, password };
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A browser as far as the admin API can tell: cookies kept, CSRF token sent, no redirects followed. */
export class AdminBrowser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(base: string, headers: Record<string, string> = {}) {
    this.#base = base;
    this.#headers = headers;
  }

  /** A request to a path under /api/v1/admin, or to a full URL. */
  async request(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const url = path.startsWith('http') ? path : `${this.#base}/api/v1/admin${path}`;
    const headers: Record<string, string> = { ...this.#headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    this.#keepCookies(response);
    const text = await response.text();
    const parsed =
      text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {};
    if (typeof parsed.csrfToken === 'string') this.csrfToken = parsed.csrfToken;
    return { status: response.status, body: parsed, headers: response.headers };
  }

  #keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  post(path: string, body: unknown = {}) {
    return this.request('POST', path, body);
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** Signs in with the password: the session is then in stage second_factor or enrolment. */
  async signIn(account: { email: string; password: string }): Promise<HttpAnswer> {
    return this.post('/auth/sign-in', { email: account.email, password: account.password });
  }

  /** GET /auth/session, which also refreshes the CSRF token after a rotation. */
  session(): Promise<HttpAnswer> {
    return this.get('/auth/session');
  }
}
