/**
 * Views: each member's Home tab and stack of modals, the Web API methods that open, push, update
 * and publish them, and what Slack does with a person's submit or close and the app's answer.
 * https://docs.slack.dev/surfaces/modals
 */
import { randomBytes } from 'node:crypto';
import type {
  ViewsOpenResponse,
  ViewsPublishResponse,
  ViewsPushResponse,
  ViewsUpdateResponse,
} from '@slack/web-api';
import { isJsonObject, objectArg, stringArg } from './requests.ts';
import {
  type ChangeScope,
  type EmulatedView,
  type JsonObject,
  type PlainTextObject,
  type SlackStandInIdentity,
  TRIGGER_ID_TTL_MS,
  type ViewResponseOutcome,
} from './types.ts';

/** What the view store needs from the workspace around it. */
export interface ViewContext {
  readonly identity: SlackStandInIdentity;
  newId(prefix: string): string;
  now(): number;
  changed(userId: string, scope: ChangeScope): void;
}

/** "After a modal is opened, the app is limited to pushing 2 additional views." (views.push) */
const MAX_STACK = 3;

interface Owner {
  userId: string;
  surface: 'home' | 'modal';
}

export class ViewStore {
  readonly #context: ViewContext;
  readonly #views = new Map<string, EmulatedView>();
  readonly #owners = new Map<string, Owner>();
  readonly #homeByUser = new Map<string, string>();
  /** Each member's open modals, the root first. */
  readonly #stackByUser = new Map<string, string[]>();
  readonly #triggers = new Map<string, { userId: string; issuedAt: number }>();
  /**
   * Marks the trigger ids this emulator issues, so one it has forgotten (expired, or issued before
   * a reset) is refused, while the made-up ids tests pass still open an unowned modal.
   */
  readonly #triggerMark = randomBytes(4).toString('hex');
  #triggerCount = 0;

  constructor(context: ViewContext) {
    this.#context = context;
  }

  issueTriggerId(userId: string): string {
    // Slack's shape ("12345.98765.abcd2358fdea"), with this emulator's mark in the last part.
    this.#triggerCount += 1;
    const issuedAt = this.#context.now();
    const id = `${Math.floor(issuedAt / 1000)}.${this.#triggerCount}.${this.#triggerMark}${randomBytes(8).toString('hex')}`;
    this.#triggers.set(id, { userId, issuedAt });
    return id;
  }

  /** views.open (`push: false`) and views.push. */
  open(args: JsonObject, push: boolean): ViewAnswer<ViewsOpenResponse | ViewsPushResponse> {
    const view = objectArg(args, 'view');
    const trigger = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
    if (!view || !trigger) return { ok: false, error: 'invalid_arguments' };
    const issued = this.#triggers.get(trigger);
    if (!issued) {
      if (trigger.split('.')[2]?.startsWith(this.#triggerMark)) {
        return { ok: false, error: 'invalid_trigger_id' };
      }
      // A trigger id the emulator did not issue (a test's own): the modal is nobody's.
      const id = this.#context.newId('V');
      return { ok: true, view: this.#store(id, view, id, null) };
    }
    if (this.#context.now() - issued.issuedAt > TRIGGER_ID_TTL_MS) {
      return { ok: false, error: 'expired_trigger_id' };
    }
    const stack = this.#stackByUser.get(issued.userId) ?? [];
    const top = stack.at(-1);
    const id = this.#context.newId('V');
    if (push && top) {
      if (stack.length >= MAX_STACK) return { ok: false, error: 'push_limit_reached' };
      const stored = this.#store(id, view, stack[0] ?? id, top);
      this.#stackByUser.set(issued.userId, [...stack, id]);
      return { ok: true, view: this.#own(stored, issued.userId, 'modal') };
    }
    // A new modal replaces whatever modals the person had open.
    const stored = this.#store(id, view, id, null);
    this.#stackByUser.set(issued.userId, [id]);
    return { ok: true, view: this.#own(stored, issued.userId, 'modal') };
  }

  update(args: JsonObject): ViewAnswer<ViewsUpdateResponse> {
    const view = objectArg(args, 'view');
    const viewId =
      stringArg(args, 'view_id') ?? this.#idForExternalId(stringArg(args, 'external_id'));
    if (!view || !viewId) return { ok: false, error: 'invalid_arguments' };
    const stored = this.#views.get(viewId);
    const hash = stringArg(args, 'hash');
    // views.update refuses a stale `hash`, so two updates racing each other cannot both win.
    // https://docs.slack.dev/surfaces/modals#handling_race_conditions
    if (stored && hash && hash !== stored.hash) return { ok: false, error: 'hash_conflict' };
    const updated = this.#store(
      viewId,
      view,
      stored?.root_view_id ?? viewId,
      stored?.previous_view_id ?? null,
    );
    const owner = this.#owners.get(viewId);
    if (owner && this.#isShown(owner.userId, viewId)) {
      this.#context.changed(owner.userId, owner.surface === 'home' ? 'home' : 'modals');
    }
    return { ok: true, view: updated };
  }

  publish(args: JsonObject): ViewAnswer<ViewsPublishResponse> {
    const view = objectArg(args, 'view');
    const userId = stringArg(args, 'user_id');
    if (!view || !userId) return { ok: false, error: 'invalid_arguments' };
    const stored = this.#views.get(this.#homeByUser.get(userId) ?? '');
    const hash = stringArg(args, 'hash');
    if (stored && hash && hash !== stored.hash) return { ok: false, error: 'hash_conflict' };
    // A member's Home tab keeps one view id across publishes.
    const id = this.#homeByUser.get(userId) ?? this.#context.newId('V');
    this.#homeByUser.set(userId, id);
    return { ok: true, view: this.#own(this.#store(id, view, id, null), userId, 'home') };
  }

  /**
   * The app's answer to a view_submission: nothing closes the submitted view (and shows the one
   * under it); `update` replaces it; `push` adds one on top; `clear` closes them all; `errors`
   * keeps it open and shows the errors. https://docs.slack.dev/surfaces/modals#responding
   */
  applyViewResponse(userId: string, viewId: string, ackBody: unknown): ViewResponseOutcome {
    const stack = this.#stackByUser.get(userId) ?? [];
    const index = stack.indexOf(viewId);
    if (index === -1) return { problem: 'view_not_open' };
    const ack = parseAck(ackBody);
    if (ack === undefined) return { problem: 'invalid_response' };
    const action = ack.response_action;
    if (action === undefined) return this.#closeFrom(userId, stack, index);
    if (action === 'clear') return this.#closeFrom(userId, stack, 0);
    if (action === 'errors') {
      const errors = ack.errors;
      if (!isJsonObject(errors) || !Object.values(errors).every((e) => typeof e === 'string')) {
        return { problem: 'invalid_errors' };
      }
      return { errors: errors as Record<string, string> };
    }
    const view = objectArg(ack, 'view');
    if ((action !== 'update' && action !== 'push') || !view) return { problem: 'invalid_response' };
    const current = this.#views.get(viewId);
    if (action === 'update') {
      this.#store(viewId, view, current?.root_view_id ?? viewId, current?.previous_view_id ?? null);
    } else {
      if (stack.length >= MAX_STACK) return { problem: 'push_limit_reached' };
      const id = this.#context.newId('V');
      this.#own(this.#store(id, view, stack[0] ?? id, stack.at(-1) ?? null), userId, 'modal');
      this.#stackByUser.set(userId, [...stack, id]);
    }
    this.#context.changed(userId, 'modals');
    return {};
  }

  /** The person closed `viewId`: it and any above it go, or all of them with `clear_on_close`. */
  close(userId: string, viewId: string): EmulatedView[] {
    const stack = this.#stackByUser.get(userId) ?? [];
    const index = stack.indexOf(viewId);
    if (index === -1) return [];
    const clear = this.#views.get(viewId)?.clear_on_close === true;
    const closed = stack.slice(clear ? 0 : index).reverse();
    this.#closeFrom(userId, stack, clear ? 0 : index);
    return closed.flatMap((id) => this.#views.get(id) ?? []);
  }

  viewFor(userId: string, viewId: string): EmulatedView | undefined {
    return this.#isShown(userId, viewId) ? this.#views.get(viewId) : undefined;
  }

  home(userId: string): EmulatedView | null {
    return this.#views.get(this.#homeByUser.get(userId) ?? '') ?? null;
  }

  modals(userId: string): EmulatedView[] {
    return (this.#stackByUser.get(userId) ?? []).flatMap((id) => this.#views.get(id) ?? []);
  }

  /** Members with a Home tab or an open modal. */
  people(): Set<string> {
    return new Set([...this.#homeByUser.keys(), ...this.#stackByUser.keys()]);
  }

  clear(): void {
    this.#views.clear();
    this.#owners.clear();
    this.#homeByUser.clear();
    this.#stackByUser.clear();
    this.#triggers.clear();
  }

  #closeFrom(userId: string, stack: readonly string[], index: number): ViewResponseOutcome {
    const left = stack.slice(0, index);
    if (left.length > 0) this.#stackByUser.set(userId, left);
    else this.#stackByUser.delete(userId);
    this.#context.changed(userId, 'modals');
    return {};
  }

  #isShown(userId: string, viewId: string): boolean {
    return (
      this.#homeByUser.get(userId) === viewId ||
      (this.#stackByUser.get(userId) ?? []).includes(viewId)
    );
  }

  #own(view: EmulatedView, userId: string, surface: Owner['surface']): EmulatedView {
    this.#owners.set(view.id, { userId, surface });
    this.#context.changed(userId, surface === 'home' ? 'home' : 'modals');
    return view;
  }

  #store(
    id: string,
    view: JsonObject,
    rootViewId: string,
    previousViewId: string | null,
  ): EmulatedView {
    const { identity } = this.#context;
    const hash = `${Math.floor(this.#context.now() / 1000)}.${randomBytes(4).toString('hex')}`;
    const stored: EmulatedView = {
      id,
      team_id: identity.teamId,
      type: typeof view.type === 'string' ? view.type : 'modal',
      blocks: Array.isArray(view.blocks) ? view.blocks : [],
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
      hash,
      title: plainText(view.title),
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      close: plainText(view.close),
      submit: plainText(view.submit),
      previous_view_id: previousViewId,
      root_view_id: rootViewId,
      app_id: identity.appId,
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      app_installed_team_id: identity.teamId,
      bot_id: identity.botId,
    };
    this.#views.set(id, stored);
    return stored;
  }

  #idForExternalId(externalId: string | undefined): string | undefined {
    if (!externalId) return undefined;
    for (const [id, view] of this.#views) if (view.external_id === externalId) return id;
    return undefined;
  }
}

/**
 * A views.* answer: the SDK's response type, except that the view is the emulator's
 * {@link EmulatedView}, checked against the SDK's view type in slack-types.ts.
 */
export type ViewAnswer<T> = Omit<T, 'view'> & { view?: EmulatedView };

/** A plain_text object as the app sent it; null when it sent none (or something else). */
function plainText(value: unknown): PlainTextObject | null {
  if (!isJsonObject(value) || typeof value.text !== 'string') return null;
  return {
    type: typeof value.type === 'string' ? value.type : 'plain_text',
    text: value.text,
    ...(typeof value.emoji === 'boolean' ? { emoji: value.emoji } : {}),
  };
}

/** The body of the app's HTTP answer to a view_submission, or undefined when Slack would refuse it. */
function parseAck(body: unknown): JsonObject | undefined {
  if (body === undefined || body === null || body === '') return {};
  if (isJsonObject(body)) return body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
