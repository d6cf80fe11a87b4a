/**
 * Refuses input the rest of the API cannot handle faithfully, before any route sees it. Each
 * rule was found by the API fuzz test (test/api/fuzz.test.ts), each as a 500:
 * - A NUL character: PostgreSQL's text type cannot hold U+0000, so the insert failed.
 * - A lone UTF-16 surrogate: valid in a JSON escape such as "\ud800", but not encodable as
 *   UTF-8, so the driver stored U+FFFD instead and the manager's words came back changed.
 * - A number that is not finite: Ajv's type coercion turns the string "1e309" into Infinity and
 *   then lets it pass `type: integer` and `maximum` (JSON itself has no Infinity), so a lease of
 *   "1e309" seconds reached SQL as an invalid timestamp.
 * Slack never sends any of these; the bot's own requests are unaffected.
 */
import { AppError } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';

const TEXT_REASON = 'Text cannot contain a NUL character or a lone UTF-16 surrogate.';
const NUMBER_REASON = 'Numbers must be finite.';

type Check = (value: unknown) => string | undefined;

const unstorableText: Check = (value) =>
  typeof value === 'string' && (value.includes('\u0000') || !value.isWellFormed())
    ? TEXT_REASON
    : undefined;

const infiniteNumber: Check = (value) =>
  typeof value === 'number' && !Number.isFinite(value) ? NUMBER_REASON : undefined;

/** The first value (or key) in `root` that `check` refuses: its path, e.g. `body.actions.2`. */
export function firstRefused(
  root: unknown,
  rootPath: string,
  check: Check,
): { path: string; reason: string } | undefined {
  // An explicit stack rather than recursion: a body may be nested 100,000 deep.
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    const reason = check(value);
    if (reason) return { path, reason };
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const keyReason = check(key);
        if (keyReason) return { path, reason: keyReason };
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

function refuse(request: { body: unknown; query: unknown; params: unknown }, check: Check) {
  for (const part of ['body', 'query', 'params'] as const) {
    const refused = firstRefused(request[part], part, check);
    if (refused) {
      throw new AppError('validation_failed', `${refused.path}: ${refused.reason}`, 400, {
        fields: { [refused.path.split('.')[1] ?? part]: refused.reason },
      });
    }
  }
}

export function registerInputGuard(app: HttpServer): void {
  // Text before validation, so the error names the real problem rather than a length.
  app.addHook('preValidation', async (request) => refuse(request, unstorableText));
  // Numbers after it: only the validator's coercion can make an Infinity.
  app.addHook('preHandler', async (request) => refuse(request, infiniteNumber));
}
