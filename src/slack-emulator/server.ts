/**
 * The emulator's HTTP server: Web API calls (answered by ./web-api.ts) and response_url posts,
 * with latency, outages and a record of every call; and the controls a test or the sandbox uses.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { answerForFault, FaultQueue, faultCount, KillAfterPostHooks } from './faults.ts';
import { StandInInstalls } from './installs.ts';
import { StandInOidc } from './oidc.ts';
import { Outage } from './outage.ts';
import { PostingLimiter } from './rate-limits.ts';
import { Recorder } from './recorder.ts';
import { bearerToken, parseApiRequest, readBody, send } from './requests.ts';
import { ResponseUrls } from './response-urls.ts';
import type {
  CallRateSample,
  EmulatedView,
  EmulatorChange,
  FailNextOptions,
  JsonObject,
  KillAfterPostOptions,
  OutageMode,
  PersonSnapshot,
  PostedMessage,
  PostingRateLimits,
  RateLimitNextOptions,
  RateLimitViolations,
  RecordedResponseUrlPost,
  RecordedSlackCall,
  ResponseUrlFailureOptions,
  ServerErrorNextOptions,
  SlackStandIn,
  SlackStandInIdentity,
  SlackStandInOptions,
  SlackUserGroupSeed,
  SlackUserSeed,
  ViewResponseOutcome,
  WaitOptions,
} from './types.ts';
import { WebApi } from './web-api.ts';
import { StandInWorkspace } from './workspace.ts';

/** Starts an emulator and resolves once it is listening. */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandInServer(options);
  await standIn.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return standIn;
}

/** The same as {@link startSlackStandIn}, by the name the sandbox knows it by. */
export const startSlackEmulator = startSlackStandIn;

class SlackStandInServer implements SlackStandIn {
  readonly identity: SlackStandInIdentity;
  #origin = '';
  #host = '127.0.0.1';
  #port = 0;
  readonly #server = createServer((req, res) => {
    void this.#handle(req, res);
  });
  readonly #closing = new AbortController();
  readonly #defaultLatencyMs: number;
  readonly #latencyByMethod = new Map<string, number>();
  readonly #faults = new FaultQueue();
  readonly #killHooks = new KillAfterPostHooks();
  readonly #recorder = new Recorder();
  readonly #workspace: StandInWorkspace;
  readonly #responseUrls: ResponseUrls;
  readonly #webApi: WebApi;
  readonly oidc: StandInOidc;
  readonly installs: StandInInstalls;
  #arrivals = 0;
  #closed = false;
  readonly #outage = new Outage(this.#server, () => ({ port: this.#port, host: this.#host }));
  #limiter: PostingLimiter | undefined;

  constructor(options: SlackStandInOptions) {
    this.#workspace = new StandInWorkspace(options.identity, options.users ?? [], options.now);
    this.identity = this.#workspace.identity;
    this.#responseUrls = new ResponseUrls({
      origin: () => this.#origin,
      faults: this.#faults,
      recorder: this.#recorder,
      workspace: this.#workspace,
    });
    this.oidc = new StandInOidc(() => this.#origin, this.identity);
    this.installs = new StandInInstalls(options.now ?? Date.now, this.identity);
    this.#webApi = new WebApi({
      faults: this.#faults,
      installs: this.installs,
      workspace: this.#workspace,
      validTokens: options.tokens ? new Set(options.tokens) : undefined,
      limiter: () => this.#limiter,
    });
    this.#defaultLatencyMs = options.latencyMs ?? 0;
  }

  async listen(port: number, host: string): Promise<void> {
    this.#host = host;
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
    const address = this.#server.address() as AddressInfo;
    this.#port = address.port;
    this.#origin = `http://${host}:${address.port}`;
  }

  get url(): string {
    return `${this.#origin}/api/`;
  }

  get origin(): string {
    return this.#origin;
  }

  get port(): number {
    return this.#port;
  }

  get calls(): readonly RecordedSlackCall[] {
    return this.#recorder.calls;
  }

  get responseUrlPosts(): readonly RecordedResponseUrlPost[] {
    return this.#recorder.responseUrlPosts;
  }

  addUser(user: SlackUserSeed): void {
    this.#workspace.addUser(user);
  }

  setUserStatus(userId: string, status: NonNullable<SlackUserSeed['status']>): JsonObject {
    return this.#workspace.setUserStatus(userId, status);
  }

  dmChannelIdFor(userId: string): string {
    return this.#workspace.dmChannelIdFor(userId);
  }

  setUserGroup(group: SlackUserGroupSeed): void {
    this.#workspace.userGroups.set(group);
  }

  disableUserGroup(id: string): void {
    this.#workspace.userGroups.disable(id);
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.#recorder.callsTo(method);
  }

  waitForCall(
    method: string,
    predicate?: (call: RecordedSlackCall) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedSlackCall> {
    return this.#recorder.waitForCall(method, predicate, options);
  }

  failNext(method: string, options: FailNextOptions): void {
    this.#faults.add(method, { kind: 'error', error: options.error, ...faultCount(options) });
  }

  rateLimitNext(method: string, options: RateLimitNextOptions): void {
    this.#faults.add(method, {
      kind: 'rate-limit',
      retryAfterSeconds: options.retryAfterSeconds,
      ...faultCount(options),
    });
  }

  serverErrorNext(method: string, options: ServerErrorNextOptions = {}): void {
    this.#faults.add(method, {
      kind: 'server-error',
      status: options.status ?? 500,
      ...faultCount(options),
    });
  }

  killAfterPost(options: KillAfterPostOptions): void {
    this.#killHooks.add(options);
  }

  setLatency(method: string, ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Latency must be 0 ms or more, got ${ms}`);
    this.#latencyByMethod.set(method, ms);
  }

  newResponseUrl(): string {
    return this.#responseUrls.newUrl();
  }

  failNextResponseUrlPost(options: ResponseUrlFailureOptions): void {
    this.#faults.addResponseUrlFailure(options);
  }

  waitForResponseUrlPost(
    predicate?: (post: RecordedResponseUrlPost) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedResponseUrlPost> {
    return this.#recorder.waitForResponseUrlPost(predicate, options);
  }

  onCall(listener: (call: RecordedSlackCall) => void): () => void {
    return this.#recorder.onCall(listener);
  }

  onResponseUrlPost(listener: (post: RecordedResponseUrlPost) => void): () => void {
    return this.#recorder.onResponseUrlPost(listener);
  }

  get outage(): OutageMode | undefined {
    return this.#outage.mode;
  }

  startOutage(mode: OutageMode): Promise<void> {
    return this.#outage.start(mode);
  }

  endOutage(): Promise<void> {
    return this.#outage.end();
  }

  enforceRateLimits(limits: PostingRateLimits | undefined): void {
    this.#limiter = limits ? new PostingLimiter(limits) : undefined;
  }

  rateLimitViolations(): RateLimitViolations {
    return this.#limiter?.violations() ?? { limited: { channel: 0, workspace: 0 }, violations: [] };
  }

  callRate(): CallRateSample[] {
    return this.#outage.callRate();
  }

  reset(): void {
    this.#recorder.reset();
    this.#faults.clear();
    this.#killHooks.clear();
    this.#latencyByMethod.clear();
  }

  onChange(listener: (change: EmulatorChange) => void): () => void {
    return this.#workspace.onChange(listener);
  }

  snapshot(userId: string): PersonSnapshot {
    return this.#workspace.snapshot(userId);
  }

  issueTriggerId(userId: string): string {
    return this.#workspace.views.issueTriggerId(userId);
  }

  postUserMessage(userId: string, message: { text: string; threadTs?: string }): PostedMessage {
    return this.#workspace.postUserMessage(userId, message);
  }

  responseUrlFor(userId: string, target: { channelId: string; messageTs?: string }): string {
    return this.#responseUrls.urlFor({ userId, ...target });
  }

  applyViewResponse(userId: string, viewId: string, ackBody: unknown): ViewResponseOutcome {
    return this.#workspace.views.applyViewResponse(userId, viewId, ackBody);
  }

  closeView(userId: string, viewId: string): EmulatedView[] {
    return this.#workspace.views.close(userId, viewId);
  }

  viewFor(userId: string, viewId: string): EmulatedView | undefined {
    return this.#workspace.views.viewFor(userId, viewId);
  }

  resetAll(): void {
    this.#recorder.reset();
    this.#responseUrls.clear();
    this.#workspace.clearSurfaces();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    this.#recorder.close();
    this.#outage.releaseHeld();
    if (this.#server.listening) await this.#outage.stopListening();
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {
      // The client may have hung up while we were adding latency; nothing left to tell it.
    });
    const arrivedAt = new Date();
    const arrival = this.#arrivals++;
    const requestUrl = new URL(req.url ?? '/', this.#origin);
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch {
      return;
    }

    if (this.#responseUrls.handles(requestUrl.pathname)) {
      this.#responseUrls.handle(req, res, requestUrl, rawBody, arrivedAt);
      return;
    }
    if (this.oidc.handles(requestUrl.pathname)) {
      send(res, this.oidc.answer(req, requestUrl, rawBody));
      return;
    }
    if (!requestUrl.pathname.startsWith('/api/')) {
      send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' });
      return;
    }

    if (this.#outage.arrived(req, arrivedAt)) return;
    const method = decodeURIComponent(requestUrl.pathname.slice('/api/'.length));
    const parsed = parseApiRequest(req.headers['content-type'], rawBody, requestUrl.searchParams);
    const token = bearerToken(req.headers.authorization) ?? parsed.formToken;
    const answer =
      this.#outage.mode === 'server-error'
        ? answerForFault({ kind: 'server-error', status: 503, remaining: 1 })
        : this.#webApi.answer(method, parsed, token);

    const latencyMs =
      this.#latencyByMethod.get(method) ?? this.#latencyByMethod.get('*') ?? this.#defaultLatencyMs;
    if (latencyMs > 0) {
      try {
        await delay(latencyMs, undefined, { signal: this.#closing.signal });
      } catch {
        return;
      }
    }

    send(res, answer);
    this.#recorder.recordCall(arrival, {
      method,
      args: parsed.args,
      token,
      at: arrivedAt,
      response: { status: answer.status, headers: answer.headers, body: answer.body },
    });
    this.#killHooks.fire(method, parsed.args, answer);
  }
}
