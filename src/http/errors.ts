import { Type } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../core/errors.ts';

/** The body of every error the HTTP API returns. */
export const ErrorBody = Type.Object(
  {
    code: Type.Enum(ERROR_CODES, { description: 'Stable, machine-readable error code.' }),
    message: Type.String({ description: 'What went wrong, for a person to read.' }),
    requestId: Type.String({ description: 'Quote this when reporting a problem.' }),
    fields: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'For invalid input: what is wrong with each field, by field name.',
      }),
    ),
  },
  { $id: 'Error', title: 'Error' },
);

/** Fastify's own 4xx errors, by their FST_* code, under our names. */
export const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_VALIDATION: 'validation_failed',
};
