/**
 * The response_url endpoints the emulator hosts: fresh ones that only record what an app POSTs
 * (for tests), and ones tied to a person and a message, whose POSTs change what the person sees.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { FaultQueue } from './faults.ts';
import type { ResponseUrlTarget } from './messages.ts';
import type { Recorder } from './recorder.ts';
import { mediaType, parseJsonOrText, send } from './requests.ts';
import type { RecordedResponseUrlPost } from './types.ts';
import type { StandInWorkspace } from './workspace.ts';

const PATH = '/response-url/';

export class ResponseUrls {
  readonly #origin: () => string;
  readonly #faults: FaultQueue;
  readonly #recorder: Recorder;
  readonly #workspace: StandInWorkspace;
  readonly #targets = new Map<string, ResponseUrlTarget>();

  constructor(deps: {
    origin: () => string;
    faults: FaultQueue;
    recorder: Recorder;
    workspace: StandInWorkspace;
  }) {
    this.#origin = deps.origin;
    this.#faults = deps.faults;
    this.#recorder = deps.recorder;
    this.#workspace = deps.workspace;
  }

  handles(pathname: string): boolean {
    return pathname.startsWith(PATH);
  }

  /** A fresh URL that records what is POSTed to it. */
  newUrl(): string {
    return `${this.#origin()}${PATH}${randomBytes(12).toString('hex')}`;
  }

  /** A fresh URL whose POSTs are applied to what `target.userId` sees, as Slack applies them. */
  urlFor(target: ResponseUrlTarget): string {
    const url = this.newUrl();
    this.#targets.set(url.slice(url.lastIndexOf('/') + 1), target);
    return url;
  }

  /** Forgets the tied URLs: their POSTs are then only recorded. */
  clear(): void {
    this.#targets.clear();
  }

  handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestUrl: URL,
    rawBody: string,
    arrivedAt: Date,
  ): void {
    const id = requestUrl.pathname.slice(PATH.length);
    const contentType = req.headers['content-type'];
    const body = mediaType(contentType) === 'application/json' ? parseJsonOrText(rawBody) : rawBody;
    const failedStatus = this.#faults.takeResponseUrlFailure();
    const target = this.#targets.get(id);
    // Slack answers a response_url POST with the plain text "ok", not a JSON object.
    // https://github.com/pyslackers/slack-sansio/pull/42
    const answer =
      failedStatus !== undefined
        ? { status: failedStatus, body: STATUS_CODES[failedStatus] ?? 'error' }
        : target
          ? this.#workspace.applyResponseUrlPost(target, body)
          : { status: 200, body: 'ok' };
    send(res, {
      status: answer.status,
      headers: { 'content-type': 'text/plain' },
      body: answer.body,
    });

    const post: RecordedResponseUrlPost = {
      id,
      url: `${this.#origin()}${requestUrl.pathname}`,
      body,
      contentType,
      at: arrivedAt,
      response: answer,
    };
    this.#recorder.recordResponseUrlPost(post);
  }
}
