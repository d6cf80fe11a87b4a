/**
 * The stand-in's "Sign in with Slack" endpoints, as a client other than openid-client would
 * meet them: Slack's discovery document, an auto-approving authorize page, a token endpoint that
 * reports errors as HTTP 200 `{ ok: false }`, an RS256 ID token its JWKS verifies, and userInfo.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';
import type { SlackStandIn } from '../../src/slack-emulator/types.ts';

const CLIENT = { clientId: '111.222', clientSecret: 'stand-in-oidc-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';

let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await startSlackStandIn();
  standIn.oidc.registerClient(CLIENT);
});

afterAll(async () => {
  await standIn?.close();
});

async function authorize(query: Record<string, string>) {
  const url = new URL('/openid/connect/authorize', standIn.origin);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, { redirect: 'manual' });
  return { response, location: new URL(String(response.headers.get('location') ?? REDIRECT)) };
}

const codeFor = async (extra: Record<string, string> = {}) =>
  (
    await authorize({
      client_id: CLIENT.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: REDIRECT,
      state: 's1',
      nonce: 'n1',
      ...extra,
    })
  ).location.searchParams.get('code') ?? '';

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${standIn.origin}/api/openid.connect.token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...extra,
  });

describe("the stand-in's Sign in with Slack", () => {
  it("publishes Slack's discovery document under its own origin", async () => {
    const document = await (
      await fetch(`${standIn.origin}/.well-known/openid-configuration`)
    ).json();
    expect(document).toMatchObject({
      issuer: standIn.origin,
      authorization_endpoint: `${standIn.origin}/openid/connect/authorize`,
      token_endpoint: `${standIn.origin}/api/openid.connect.token`,
      userinfo_endpoint: `${standIn.origin}/api/openid.connect.userInfo`,
      jwks_uri: `${standIn.origin}/openid/connect/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('approves as the chosen member, and issues an ID token its JWKS verifies', async () => {
    standIn.oidc.approveAs({ id: 'U0ADA', email: 'ada@example.com', realName: 'Ada Lovelace' });
    const { response, location } = await authorize({
      client_id: CLIENT.clientId,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: REDIRECT,
      state: 'xyz',
      nonce: 'abc',
    });
    expect(response.status).toBe(302);
    expect(location.searchParams.get('state')).toBe('xyz');
    const answer = await exchange(location.searchParams.get('code') ?? '');
    expect(answer.body).toMatchObject({ ok: true, token_type: 'Bearer' });

    const [header = '', payload = '', signature = ''] = String(answer.body.id_token).split('.');
    const { keys } = (await (await fetch(`${standIn.origin}/openid/connect/keys`)).json()) as {
      keys: { kid: string; n: string; e: string; kty: string }[];
    };
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const key = keys.find((k) => k.kid === kid);
    expect(key).toBeDefined();
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey({ key: key as never, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
    expect(valid).toBe(true);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      iss: standIn.origin,
      aud: CLIENT.clientId,
      sub: 'U0ADA',
      nonce: 'abc',
      email: 'ada@example.com',
      email_verified: true,
      'https://slack.com/team_id': standIn.identity.teamId,
    });

    const userInfo = await fetch(`${standIn.origin}/api/openid.connect.userInfo`, {
      headers: { authorization: `Bearer ${answer.body.access_token}` },
    });
    expect(await userInfo.json()).toMatchObject({
      ok: true,
      sub: 'U0ADA',
      email: 'ada@example.com',
    });
  });

  it('answers errors as Slack does: HTTP 200 with ok false', async () => {
    standIn.oidc.approveAs({ id: 'U0BOB', email: 'bob@example.com' });
    const code = await codeFor();
    expect((await exchange(code, { client_secret: 'wrong' })).body).toEqual({
      ok: false,
      error: 'invalid_client',
    });
    // The failed exchange above did not use the code up; a wrong redirect does.
    expect((await exchange(code, { redirect_uri: 'http://elsewhere/cb' })).body.error).toBe(
      'bad_redirect_uri',
    );
    const again = await exchange(code);
    expect(again).toEqual({ status: 200, body: { ok: false, error: 'invalid_code' } });
    const userInfo = await fetch(`${standIn.origin}/api/openid.connect.userInfo`, {
      headers: { authorization: 'Bearer xoxp-unknown' },
    });
    expect(await userInfo.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('takes the client secret by HTTP Basic too, and checks PKCE when the client used it', async () => {
    standIn.oidc.approveAs({ id: 'U0CAT', email: 'cat@example.com' });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const basic = {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
    };
    const form = (code: string, codeVerifier: string) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
    });
    expect((await token(form(await codeFor(pkce), 'not-the-verifier'), basic)).body.error).toBe(
      'invalid_code_verifier',
    );
    expect((await token(form(await codeFor(pkce), verifier), basic)).body.ok).toBe(true);
  });

  it('sends the person back with access_denied when they cancel, and refuses unknown apps', async () => {
    standIn.oidc.approveAs(undefined);
    const cancelled = await authorize({
      client_id: CLIENT.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT,
      state: 'st',
    });
    expect(Object.fromEntries(cancelled.location.searchParams)).toEqual({
      state: 'st',
      error: 'access_denied',
    });
    const unknown = await authorize({ client_id: 'nope', redirect_uri: REDIRECT });
    expect(unknown.response.status).toBe(400);
  });
});
