/**
 * Errors the business layer raises on purpose. Each carries a stable string `code` that clients
 * may branch on, and the HTTP status it maps to (the taxonomy of bolt-js src/errors.ts).
 * Anything else that escapes is a bug: the API answers 500 and hides its details.
 */

/** What `notFound` can be asked about; each gives the code `<resource>_not_found`. */
export const RESOURCES = [
  'account',
  'action_item',
  'api_key',
  'delivery',
  'installation',
  'export',
  'manager',
  'passkey',
  'reminder',
  'response',
  'sandbox_person',
  'session',
  'subscription',
  'topic',
  'topic_revision',
  'topic_translation',
  'workspace',
] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * Every error code a client of the API can meet, in one list: the API's error schema publishes
 * it as an enum in OpenAPI, so the bot's generated client gets the same union. A new code is
 * added here first, or the type checker refuses it.
 */
export const ERROR_CODES = [
  ...RESOURCES.map((resource) => `${resource}_not_found` as const),
  // Input the API refuses (400).
  'invalid_action_item',
  'invalid_answer',
  'invalid_body',
  'invalid_language',
  'invalid_locale',
  'invalid_reflection',
  'invalid_settings',
  'invalid_source_key',
  'invalid_subscription',
  'invalid_time_zone',
  'invalid_topic',
  'invalid_weekday',
  'no_topics',
  'unknown_category',
  'unknown_team',
  'team_too_small',
  'invalid_date_range',
  'invalid_return_date',
  'unknown_holiday_country',
  'invalid_import',
  'validation_failed',
  'bad_request',
  // Who is asking (401, 403) and how often (429).
  'unauthorized',
  'admin_api_disabled',
  'rate_limited',
  // Admin accounts and sessions (issue 13).
  'unauthenticated',
  'forbidden',
  'csrf_invalid',
  'invalid_credentials',
  'too_many_attempts',
  'weak_password',
  'invalid_token',
  'invalid_account',
  'setup_not_needed',
  'email_taken',
  'last_owner',
  // Second factors and Sign in with Slack (issue 13).
  'invalid_code',
  'totp_not_started',
  'invalid_passkey',
  'last_second_factor',
  'reauthentication_required',
  'oidc_disabled',
  'oidc_failed',
  'oidc_no_account',
  // Add to Slack (issue 16): a callback whose state is unknown, used or expired; no keys.
  'invalid_oauth_state',
  'installations_disabled',
  // Data rights (issue 16): a typed confirmation that does not match (400); an export link
  // already used or past its 24 hours (410); no PUBLIC_URL to make a link from (503).
  'confirmation_mismatch',
  'export_link_used',
  'export_link_expired',
  'export_unavailable',
  // State that forbids the change (409).
  'delivery_already_sent',
  'subscription_not_active',
  'topic_slug_taken',
  // The sandbox (src/sandbox): a time-machine jump to nothing, a message or window gone.
  'nothing_scheduled',
  'undo_expired',
  'answer_locked',
  'sandbox_item_gone',
  // Transport: Fastify's own errors under our names, and the gateway's (config/gateway).
  'route_not_found',
  'request_timeout',
  'request_header_too_large',
  'payload_too_large',
  'unsupported_media_type',
  'bad_gateway',
  'gateway_timeout',
  'gateway_error',
  // The server's side (5xx): details are logged, never returned.
  'internal_error',
  'service_unavailable',
  // An analytics query that ran past its time limit (503): a shorter range will do.
  'analytics_too_slow',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Problems by input field, so a form (such as a Slack modal) can show each beside its field. */
  readonly fields?: Readonly<Record<string, string>>;
  /** For 429 and 503: sent as Retry-After, so a client knows when to try again. */
  readonly retryAfterSeconds?: number;
  constructor(
    code: ErrorCode,
    message: string,
    statusCode: number,
    options?: ErrorOptions & { fields?: Record<string, string>; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = statusCode;
    this.fields = options?.fields;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export const notFound = (what: Resource) =>
  new AppError(`${what}_not_found`, `No such ${what}.`, 404);

export const invalid = (code: ErrorCode, message: string, fields?: Record<string, string>) =>
  new AppError(code, message, 400, { fields });

export const conflict = (code: ErrorCode, message: string) => new AppError(code, message, 409);
