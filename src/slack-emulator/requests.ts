/** Reading Slack-shaped requests (form or JSON, token in header or body) and writing answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './types.ts';

// Form-encoded callers (WebClient's default) send these arguments as JSON strings: "A JSON-based
// array of structured blocks, presented as a URL-encoded string."
// https://docs.slack.dev/reference/methods/chat.postMessage
const JSON_ENCODED_ARGUMENTS = new Set([
  'attachments',
  'blocks',
  'metadata',
  'user_auth_blocks',
  'view',
]);

/** What the stand-in sends back for one request. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: JsonObject | string;
}

export interface ParsedApiRequest {
  args: JsonObject;
  formToken: string | undefined;
  invalidJson: boolean;
  warnings: string[];
}

export function slackJson(body: JsonObject): Answer {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

export function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, answer.headers);
  res.end(payload);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function parseApiRequest(
  contentType: string | undefined,
  rawBody: string,
  query: URLSearchParams,
): ParsedApiRequest {
  const args: JsonObject = {};
  const warnings: string[] = [];
  let formToken: string | undefined;
  let invalidJson = false;
  const type = mediaType(contentType);
  const declaresCharset = /;\s*charset=/i.test(contentType ?? '');

  const takeFormFields = (fields: URLSearchParams) => {
    for (const [key, value] of fields) {
      if (key === 'token') formToken = value;
      else args[key] = JSON_ENCODED_ARGUMENTS.has(key) ? parseJsonOrText(value) : value;
    }
  };

  takeFormFields(query);
  if (type === 'application/json') {
    // JSON bodies need the charset, or Slack warns `missing_charset`; and a token inside a JSON
    // body is ignored: it must come in the Authorization header.
    // https://docs.slack.dev/changelog/2017-10-keeping-up-with-the-jsons
    if (!declaresCharset) warnings.push('missing_charset');
    if (rawBody.trim() !== '') {
      const parsed = parseJsonOrText(rawBody);
      if (isJsonObject(parsed)) {
        for (const [key, value] of Object.entries(parsed)) if (key !== 'token') args[key] = value;
      } else {
        invalidJson = true;
      }
    }
  } else {
    // Form bodies must not declare a charset; Slack warns `superfluous_charset` when they do.
    // https://github.com/slackapi/python-slack-sdk/issues/692
    if (type === 'application/x-www-form-urlencoded' && declaresCharset) {
      warnings.push('superfluous_charset');
    }
    takeFormFields(new URLSearchParams(rawBody));
  }
  return { args, formToken, invalidJson, warnings };
}

export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

export function stringArg(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function flagArg(args: JsonObject, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function objectArg(args: JsonObject, key: string): JsonObject | undefined {
  const value = args[key];
  return isJsonObject(value) ? value : undefined;
}

export function hasMessageContent(args: JsonObject): boolean {
  return (
    stringArg(args, 'text') !== undefined ||
    (Array.isArray(args.blocks) && args.blocks.length > 0) ||
    (Array.isArray(args.attachments) && args.attachments.length > 0)
  );
}

export function truncate(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
