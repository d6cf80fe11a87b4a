/** What the stand-in received, in arrival order, and the tests waiting for something to arrive. */
import { EventEmitter } from 'node:events';
import { truncate } from './requests.ts';
import type {
  RecordedResponseUrlPost,
  RecordedSlackCall,
  SlackStandIn,
  WaitOptions,
} from './types.ts';

const DEFAULT_WAIT_MS = 5000;

interface Waiter<T> {
  matches: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  describe: () => string;
}

/** The recording half of {@link SlackStandIn}: calls, response_url posts, waiters and listeners. */
export class Recorder
  implements
    Pick<
      SlackStandIn,
      | 'calls'
      | 'responseUrlPosts'
      | 'callsTo'
      | 'waitForCall'
      | 'waitForResponseUrlPost'
      | 'onCall'
      | 'onResponseUrlPost'
    >
{
  readonly #events = new EventEmitter();
  readonly #calls: RecordedSlackCall[] = [];
  /** Arrival number of each entry of #calls, kept apart so recorded calls stay plain data. */
  readonly #callArrivals: number[] = [];
  readonly #responseUrlPosts: RecordedResponseUrlPost[] = [];
  readonly #callWaiters = new Set<Waiter<RecordedSlackCall>>();
  readonly #postWaiters = new Set<Waiter<RecordedResponseUrlPost>>();
  #closed = false;

  get calls(): readonly RecordedSlackCall[] {
    return this.#calls;
  }

  get responseUrlPosts(): readonly RecordedResponseUrlPost[] {
    return this.#responseUrlPosts;
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.#calls.filter((call) => call.method === method);
  }

  waitForCall(
    method: string,
    predicate: (call: RecordedSlackCall) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<RecordedSlackCall> {
    const matches = (call: RecordedSlackCall) =>
      (method === '*' || call.method === method) && predicate(call);
    return this.#waitFor(this.#calls, this.#callWaiters, matches, options, () => {
      const what = method === '*' ? 'call' : `${method} call`;
      return `no ${what} matching the predicate arrived.\n${this.#describeCalls()}`;
    });
  }

  waitForResponseUrlPost(
    predicate: (post: RecordedResponseUrlPost) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<RecordedResponseUrlPost> {
    return this.#waitFor(this.#responseUrlPosts, this.#postWaiters, predicate, options, () => {
      const posts = this.#responseUrlPosts.map(
        (post, index) => `  ${index + 1}. ${post.url} ${truncate(JSON.stringify(post.body))}`,
      );
      return `no response_url POST matching the predicate arrived.\nPosts so far (${posts.length}):${
        posts.length > 0 ? `\n${posts.join('\n')}` : ' none'
      }`;
    });
  }

  onCall(listener: (call: RecordedSlackCall) => void): () => void {
    this.#events.on('call', listener);
    return () => this.#events.off('call', listener);
  }

  onResponseUrlPost(listener: (post: RecordedResponseUrlPost) => void): () => void {
    this.#events.on('response-url-post', listener);
    return () => this.#events.off('response-url-post', listener);
  }

  /** Records a Web API call that arrived `arrival`-th, once it has been answered. */
  recordCall(arrival: number, call: RecordedSlackCall): void {
    // Calls are answered after their latency, so a later arrival can finish first; keep the list
    // in arrival order all the same.
    let index = this.#calls.length;
    while (index > 0 && (this.#callArrivals[index - 1] ?? 0) > arrival) index -= 1;
    this.#calls.splice(index, 0, call);
    this.#callArrivals.splice(index, 0, arrival);
    this.#settleWaiters(this.#callWaiters, call);
    this.#events.emit('call', call);
  }

  recordResponseUrlPost(post: RecordedResponseUrlPost): void {
    this.#responseUrlPosts.push(post);
    this.#settleWaiters(this.#postWaiters, post);
    this.#events.emit('response-url-post', post);
  }

  /** Forgets calls and posts; waiters keep waiting. */
  reset(): void {
    this.#calls.length = 0;
    this.#callArrivals.length = 0;
    this.#responseUrlPosts.length = 0;
  }

  /** Rejects every waiter: nothing more will arrive. */
  close(): void {
    this.#closed = true;
    const closedError = (waiter: { describe: () => string }) =>
      new Error(`The Slack stand-in was closed while waiting: ${waiter.describe()}`);
    for (const waiter of this.#callWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError(waiter));
    }
    for (const waiter of this.#postWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError(waiter));
    }
    this.#callWaiters.clear();
    this.#postWaiters.clear();
  }

  #waitFor<T>(
    recorded: readonly T[],
    waiters: Set<Waiter<T>>,
    matches: (item: T) => boolean,
    options: WaitOptions,
    describeTimeout: () => string,
  ): Promise<T> {
    const found = recorded.find(matches);
    if (found) return Promise.resolve(found);
    if (this.#closed) return Promise.reject(new Error('The Slack stand-in is closed.'));
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve,
        reject,
        describe: describeTimeout,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms: ${describeTimeout()}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  #settleWaiters<T>(waiters: Set<Waiter<T>>, item: T): void {
    for (const waiter of waiters) {
      if (!waiter.matches(item)) continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  #describeCalls(): string {
    if (this.#calls.length === 0) return 'Calls so far: none';
    const lines = this.#calls.map((call, index) => {
      const { body } = call.response;
      const outcome =
        typeof body === 'string' ? body : body.ok === true ? 'ok' : String(body.error ?? 'error');
      return `  ${index + 1}. ${call.method} ${truncate(JSON.stringify(call.args))} -> ${call.response.status} ${outcome}`;
    });
    return `Calls so far (${this.#calls.length}):\n${lines.join('\n')}`;
  }
}
