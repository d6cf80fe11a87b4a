/**
 * Errors the business layer raises on purpose. Each carries a stable string `code` that clients
 * may branch on, and the HTTP status it maps to (the taxonomy of bolt-js src/errors.ts).
 * Anything else that escapes is a bug: the API answers 500 and hides its details.
 */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** Problems by input field, so a form (such as a Slack modal) can show each beside its field. */
  readonly fields?: Readonly<Record<string, string>>;
  constructor(
    code: string,
    message: string,
    statusCode: number,
    options?: ErrorOptions & { fields?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = statusCode;
    this.fields = options?.fields;
  }
}

export const notFound = (what: string) =>
  new AppError(`${what}_not_found`, `No such ${what}.`, 404);

export const invalid = (code: string, message: string, fields?: Record<string, string>) =>
  new AppError(code, message, 400, { fields });

export const conflict = (code: string, message: string) => new AppError(code, message, 409);
