/**
 * Input in a signed Slack payload that Blindspot did not write: a button value, an action id or
 * a modal's private_metadata that is not one of ours (tampered with, from another app, or from a
 * build that wrote it differently). Slack echoes these back as we set them, so a mismatch is
 * never the manager's doing and never a fault of ours to page on: the listener wrapper logs it
 * at warn, without the input, and tells the manager the button or form is out of date.
 * Found by the Slack fuzz test (test/bot/slack-fuzz.test.ts).
 */

export class MalformedInputError extends Error {
  readonly code = 'malformed_input';
  /** `what` says which input was wrong, in our words; it never quotes the input. */
  constructor(what: string) {
    super(what);
    this.name = 'MalformedInputError';
  }
}

/** The API's ids are bigints, sent as decimal digits. */
const API_ID = /^[1-9][0-9]{0,18}$/;

/**
 * An id the API handed out, or a MalformedInputError. Checked before it goes into an API path:
 * the client would throw URIError on a lone surrogate, or ask the API about nonsense.
 */
export function apiIdOf(value: unknown, what: string): string {
  if (typeof value === 'string' && API_ID.test(value)) return value;
  throw new MalformedInputError(what);
}

/** The id if there is one; a MalformedInputError if there is something else. */
export function optionalApiIdOf(value: unknown, what: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : apiIdOf(value, what);
}

/**
 * JSON we wrote into a value or private_metadata, as an object, or a MalformedInputError.
 * JSON.parse's own message quotes the text, which may be a manager's words, so it never
 * reaches the log.
 */
export function parseOurJson(text: string | undefined, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || '{}');
  } catch {
    throw new MalformedInputError(what);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedInputError(what);
  }
  return parsed as Record<string, unknown>;
}
