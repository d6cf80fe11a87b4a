/**
 * The API's refusals (400 and 409) as a manager reads them, in their language. The API words
 * its refusals in English for people reading its answers directly; the bot says the same in the
 * manager's language by the refusal's code. A code without words of ours (one the bot never
 * expects from a manager's action) keeps the API's English rather than hide what went wrong.
 */
import { ApiCallError } from '../api-client/index.ts';
import type { MessageKey, Voice } from '../i18n/index.ts';

const REFUSALS: Readonly<Record<string, MessageKey>> = {
  subscription_not_active: 'common.refusals.subscription_not_active',
  delivery_already_sent: 'common.refusals.delivery_already_sent',
  no_topics: 'common.refusals.no_topics',
  invalid_action_item: 'common.refusals.invalid_action_item',
  invalid_answer: 'common.refusals.invalid_answer',
  answer_locked: 'common.refusals.answer_locked',
  invalid_reflection: 'common.refusals.invalid_reflection',
  invalid_return_date: 'common.refusals.invalid_return_date',
  unknown_holiday_country: 'common.refusals.unknown_holiday_country',
  invalid_language: 'common.refusals.invalid_language',
  invalid_subscription: 'common.refusals.invalid_subscription',
  invalid_time_zone: 'common.refusals.invalid_time_zone',
  invalid_weekday: 'common.refusals.invalid_weekday',
};

/** Whether the API refused (400 or 409): something the manager can change, not a failure. */
export function isRefusal(error: unknown): error is ApiCallError {
  return error instanceof ApiCallError && (error.status === 400 || error.status === 409);
}

/**
 * What the refusal says, in the manager's language. In English, the API's own words: they name
 * the specifics ("That is 501 characters; an action fits in 500.") that ours, written once per
 * code, leave out.
 */
export function refusalText(error: ApiCallError, { language, t }: Voice): string {
  const key = REFUSALS[error.code];
  return key && language !== 'en' ? t(key) : error.message;
}
