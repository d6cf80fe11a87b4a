/**
 * Compile-time proof that what the emulator stores and answers has the types @slack/web-api gives
 * Slack's own answers, so the bot's typed reads of them hold against the emulator too. The method
 * answers are checked where they are built (workspace.ts, `StandInAnswers`); the view object, which
 * the emulator types more tightly for the sandbox, is checked here. `npm run typecheck` fails when
 * a field drifts. Nothing here runs.
 */
import type { ViewsOpenResponse } from '@slack/web-api';
import type { EmulatedView, SlackNulls } from './types.ts';

type SdkView = NonNullable<ViewsOpenResponse['view']>;

/** Resolves to `true` only when every `A` is a `B`; anything else fails `Assert`. */
type IsAssignable<A, B> = [A] extends [B] ? true : false;
type Assert<T extends true> = T;

type TextFields = 'title' | 'close' | 'submit';
/**
 * The SDK types a text object's `type` as a generated enum, which no plain string (not even
 * 'plain_text') is assignable to; the rest of the text object is compared.
 */
type WithoutTextType<T> = T extends object ? Omit<T, 'type'> : T;
type Comparable<V> = Omit<V, 'blocks' | 'state' | TextFields> & {
  [K in TextFields & keyof V]: WithoutTextType<V[K]>;
};

/**
 * A stored view is Slack's view object, but for the app's own blocks (echoed unvalidated), the
 * state a person's input fills in, and the fields Slack answers as `null` where the SDK says
 * optional (https://docs.slack.dev/reference/methods/views.open: `"previous_view_id": null`).
 */
export type EmulatedViewIsSlacks = Assert<
  IsAssignable<
    Comparable<EmulatedView>,
    SlackNulls<Comparable<SdkView>, 'previous_view_id' | TextFields>
  >
>;

/** The check above can fail: a view whose `hash` were a number is not Slack's. */
export type CheckCanFail = Assert<
  IsAssignable<
    IsAssignable<
      Comparable<Omit<EmulatedView, 'hash'> & { hash: number }>,
      SlackNulls<Comparable<SdkView>, 'previous_view_id' | TextFields>
    >,
    false
  >
>;
