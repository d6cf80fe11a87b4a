/**
 * The sandbox page's one client for the server's /sandbox/api routes (src/sandbox). They are not
 * in the OpenAPI document, so this is plain fetch with the types written here; components call
 * the hooks in ./queries.ts, never fetch.
 */
// The renderer's types file, not its index: the server-side typecheck (test/web) has no JSX.
import type { BlockAction, Option, ViewStateValues } from '../../../src/block-kit/types.ts';

/** Absolute: the page is served at both / and /sandbox/, the API only under /sandbox/api. */
const BASE = '/sandbox/api';

export interface Person {
  userId: string;
  name: string;
  title: string;
  timeZone: string;
}

/** The sandbox's clock: `now` when the server answered, and how far it runs ahead of real time. */
export interface Clock {
  now: string;
  offsetMs: number;
}

export interface Session {
  people: Person[];
  bot: { userId: string; name: string };
  clock: Clock;
}

export interface Message {
  ts: string;
  channel: string;
  /** The bot's or the person's user id. */
  user: string;
  text: string;
  blocks?: unknown[];
  /** Set on a thread's replies (≠ ts) and, as Slack does, on a parent that has replies (= ts). */
  threadTs?: string;
  ephemeral?: boolean;
  edited?: boolean;
}

/** Slack's view object, as the bot sent it through views.open / views.push / views.publish. */
export interface View {
  id: string;
  type: 'modal' | 'home';
  blocks: unknown[];
  hash?: string;
  title?: { text: string };
  submit?: { text: string };
  close?: { text: string };
  callback_id?: string;
  private_metadata?: string;
}

export interface PersonState {
  /** Oldest first. */
  dm: Message[];
  home: View | null;
  /** A stack: the top one, last, is the one shown. */
  modals: View[];
  clock: Clock;
  /** User id → display name, for mentions. */
  users: Record<string, string>;
}

export type Container = { type: 'message'; messageTs: string } | { type: 'view'; viewId: string };

export type ClockJump = 'next-delivery' | 'check-back' | 'plus-day';

export interface ClockJumpResult {
  clock: Clock;
  to: string;
  /** A sentence for the person, e.g. "Jumped to Monday 09:00, Ada's next note". */
  what: string;
}

/** An answer other than 2xx; `message` is the server's sentence, fit to show as it is. */
export class SandboxApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'SandboxApiError';
    this.status = status;
    this.code = code;
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new SandboxApiError(0, 'network', 'The sandbox server could not be reached.');
  }
  const text = await response.text();
  const json: unknown = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const error = (json ?? {}) as { code?: unknown; message?: unknown };
    throw new SandboxApiError(
      response.status,
      typeof error.code === 'string' ? error.code : 'http_error',
      typeof error.message === 'string' && error.message
        ? error.message
        : `The sandbox server answered ${response.status}.`,
    );
  }
  return json as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const person = (userId: string) => `/people/${encodeURIComponent(userId)}`;

export const sandboxApi = {
  session: () => call<Session>('GET', '/session'),
  state: (userId: string) => call<PersonState>('GET', `${person(userId)}/state`),
  eventsUrl: (userId: string) => `${BASE}${person(userId)}/events`,
  command: (userId: string, text: string) =>
    call<unknown>('POST', `${person(userId)}/command`, { text }),
  message: (userId: string, text: string, threadTs?: string) =>
    call<unknown>('POST', `${person(userId)}/message`, { text, threadTs }),
  homeOpened: (userId: string) => call<unknown>('POST', `${person(userId)}/home-opened`, {}),
  action: (userId: string, container: Container, action: BlockAction, state?: ViewStateValues) =>
    call<unknown>('POST', `${person(userId)}/actions`, { container, action, state }),
  submit: (userId: string, viewId: string, state: ViewStateValues) =>
    call<{ errors?: Record<string, string> }>('POST', `${person(userId)}/submissions`, {
      viewId,
      state,
    }),
  close: (userId: string, viewId: string) =>
    call<unknown>('POST', `${person(userId)}/closings`, { viewId }),
  options: (
    userId: string,
    request: { container: Container; action_id: string; block_id: string; value: string },
  ) => call<{ options: Option[] }>('POST', `${person(userId)}/options`, request),
  jump: (userId: string, jump: ClockJump) =>
    call<ClockJumpResult>('POST', '/clock', { userId, jump }),
  reset: () => call<{ clock: Clock }>('POST', '/reset', {}),
};
