/**
 * The admin API's guard, for now: one shared key from ADMIN_API_KEY, sent as a bearer token.
 * Without the key configured the admin API is off, and says how to turn it on.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';

export const ADMIN_API_KEY_SECURITY = [{ adminApiKey: [] }];

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * A hook that admits only callers presenting the admin key. Attach it as `onRequest` rather
 * than `preHandler`, so an unauthenticated caller gets 401 before its body is parsed or
 * validated, and learns nothing from schema errors.
 * @param adminApiKey ADMIN_API_KEY; when unset every admin request answers 403.
 */
export function requireAdminApiKey(adminApiKey: string | undefined) {
  if (!adminApiKey) {
    return async (_request: FastifyRequest) => {
      throw new AppError('admin_api_disabled', 'Set ADMIN_API_KEY to enable the admin API.', 403);
    };
  }
  const expected = digest(adminApiKey);
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    // Compare digests: equal length always, and no timing hint about the key.
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      throw new AppError('unauthorized', 'A valid admin API key is required.', 401);
    }
  };
}
