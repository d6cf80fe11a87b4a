/**
 * "Sign in with Slack" (OpenID Connect) as Slack serves it, for tests and local runs: the
 * discovery document, the authorize page (which approves at once as the member chosen with
 * `approveAs`, or answers access_denied as if they cancelled), the token endpoint (an ID token
 * signed RS256 with a key whose JWKS it publishes), and userInfo.
 * https://docs.slack.dev/authentication/sign-in-with-slack/
 *
 * Like Slack, the token and userInfo endpoints live under /api/ and report their errors as
 * HTTP 200 with `{ ok: false, error }`. Unlike Slack (whose discovery document lists no
 * code_challenge_methods_supported) it offers PKCE, and checks it when a client uses it.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Answer, bearerToken, slackJson } from './requests.ts';
import type { JsonObject, SlackStandInIdentity, SlackUserSeed } from './types.ts';

const PATHS = {
  discovery: '/.well-known/openid-configuration',
  authorize: '/openid/connect/authorize',
  keys: '/openid/connect/keys',
  token: '/api/openid.connect.token',
  userInfo: '/api/openid.connect.userInfo',
} as const;

const CODE_TTL_MS = 10 * 60_000;
const ID_TOKEN_TTL_SECONDS = 3600;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  user: SlackUserSeed;
  expiresAt: number;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const json = (status: number, body: JsonObject): Answer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
});
const redirect = (location: URL): Answer => ({
  status: 302,
  headers: { location: location.toString(), 'content-type': 'text/plain' },
  body: 'Found',
});

export class StandInOidc {
  readonly #origin: () => string;
  readonly #identity: SlackStandInIdentity;
  readonly #clients = new Map<string, string>();
  readonly #codes = new Map<string, IssuedCode>();
  readonly #accessTokens = new Map<string, SlackUserSeed>();
  readonly #privateKey: KeyObject;
  readonly #kid = randomBytes(8).toString('hex');
  #approveAs: SlackUserSeed | undefined;
  /** Claims to change in the next ID token only: a test's way to send a bad one. */
  #nextClaims: JsonObject | undefined;

  constructor(origin: () => string, identity: SlackStandInIdentity) {
    this.#origin = origin;
    this.#identity = identity;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  }

  /** Registers an app's client id and secret, as creating a Slack app does. */
  registerClient(client: { clientId: string; clientSecret: string }): void {
    this.#clients.set(client.clientId, client.clientSecret);
  }

  /** The member the authorize page signs in as; undefined: they press Cancel. */
  approveAs(user: SlackUserSeed | undefined): void {
    this.#approveAs = user;
  }

  /** Overrides claims of the next ID token issued (e.g. `{ email_verified: false }`). */
  changeNextIdToken(claims: JsonObject): void {
    this.#nextClaims = claims;
  }

  handles(pathname: string): boolean {
    return (Object.values(PATHS) as string[]).includes(pathname);
  }

  answer(req: IncomingMessage, url: URL, rawBody: string): Answer {
    switch (url.pathname) {
      case PATHS.discovery:
        return json(200, this.#discovery());
      case PATHS.keys:
        return json(200, { keys: [this.#jwk()] });
      case PATHS.authorize:
        return this.#authorize(url.searchParams);
      case PATHS.token:
        return this.#token(req, new URLSearchParams(rawBody));
      default:
        return this.#userInfo(req);
    }
  }

  #discovery(): JsonObject {
    const origin = this.#origin();
    return {
      issuer: origin,
      authorization_endpoint: `${origin}${PATHS.authorize}`,
      token_endpoint: `${origin}${PATHS.token}`,
      userinfo_endpoint: `${origin}${PATHS.userInfo}`,
      jwks_uri: `${origin}${PATHS.keys}`,
      scopes_supported: ['openid', 'profile', 'email'],
      response_types_supported: ['code'],
      response_modes_supported: ['form_post'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'auth_time', 'iss'],
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: true,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  #jwk(): JsonObject {
    const jwk = createPublicKey(this.#privateKey).export({ format: 'jwk' });
    return { ...jwk, kid: this.#kid, alg: 'RS256', use: 'sig' };
  }

  #authorize(query: URLSearchParams): Answer {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri');
    // Slack shows an error page, never a redirect, for an unknown app or redirect URL.
    if (!this.#clients.has(clientId) || !redirectUri) {
      return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'invalid_client_id' };
    }
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const scopes = (query.get('scope') ?? '').split(/[\s,]+/);
    if (query.get('response_type') !== 'code' || !scopes.includes('openid')) {
      back.searchParams.set('error', 'invalid_scope');
      return redirect(back);
    }
    if (!this.#approveAs) {
      back.searchParams.set('error', 'access_denied');
      return redirect(back);
    }
    const code = randomBytes(16).toString('hex');
    this.#codes.set(code, {
      clientId,
      redirectUri,
      nonce: query.get('nonce') ?? undefined,
      codeChallenge: query.get('code_challenge') ?? undefined,
      user: this.#approveAs,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    back.searchParams.set('code', code);
    return redirect(back);
  }

  #clientOf(req: IncomingMessage, form: URLSearchParams): string | undefined {
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [id = '', password = ''] = Buffer.from(header.slice(6), 'base64')
        .toString('utf8')
        .split(':')
        .map((part) => decodeURIComponent(part));
      clientId = id;
      secret = password;
    }
    return clientId && secret !== undefined && this.#clients.get(clientId) === secret
      ? clientId
      : undefined;
  }

  #token(req: IncomingMessage, form: URLSearchParams): Answer {
    const clientId = this.#clientOf(req, form);
    if (!clientId) return slackJson({ ok: false, error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code') {
      return slackJson({ ok: false, error: 'invalid_grant_type' });
    }
    const code = form.get('code') ?? '';
    const issued = this.#codes.get(code);
    // A code works once, whatever happens next.
    this.#codes.delete(code);
    if (!issued || issued.expiresAt < Date.now() || issued.clientId !== clientId) {
      return slackJson({ ok: false, error: 'invalid_code' });
    }
    if (form.get('redirect_uri') !== issued.redirectUri) {
      return slackJson({ ok: false, error: 'bad_redirect_uri' });
    }
    if (issued.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== issued.codeChallenge) {
        return slackJson({ ok: false, error: 'invalid_code_verifier' });
      }
    }
    const accessToken = `xoxp-${randomBytes(16).toString('hex')}`;
    this.#accessTokens.set(accessToken, issued.user);
    return slackJson({
      ok: true,
      access_token: accessToken,
      token_type: 'Bearer',
      id_token: this.#idToken(issued, clientId),
    });
  }

  #claims(user: SlackUserSeed): JsonObject {
    const realName = user.realName ?? `User ${user.id}`;
    const [givenName = realName, ...familyName] = realName.split(' ');
    return {
      sub: user.id,
      'https://slack.com/user_id': user.id,
      'https://slack.com/team_id': user.teamId ?? this.#identity.teamId,
      'https://slack.com/team_name': this.#identity.teamName,
      'https://slack.com/team_domain': this.#identity.teamDomain,
      ...(user.email
        ? {
            email: user.email,
            email_verified: true,
            date_email_verified: Math.floor(Date.now() / 1000) - 86_400,
          }
        : {}),
      name: realName,
      given_name: givenName,
      family_name: familyName.join(' '),
      locale: user.locale ?? 'en-US',
      picture: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=512`,
    };
  }

  #idToken(issued: IssuedCode, clientId: string): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: this.#origin(),
      aud: clientId,
      exp: now + ID_TOKEN_TTL_SECONDS,
      iat: now,
      auth_time: now,
      ...(issued.nonce === undefined ? {} : { nonce: issued.nonce }),
      ...this.#claims(issued.user),
      ...this.#nextClaims,
    };
    this.#nextClaims = undefined;
    const header = { alg: 'RS256', typ: 'JWT', kid: this.#kid };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.#privateKey);
    return `${signingInput}.${b64url(signature)}`;
  }

  #userInfo(req: IncomingMessage): Answer {
    const token = bearerToken(req.headers.authorization);
    const user = token ? this.#accessTokens.get(token) : undefined;
    if (!user) return slackJson({ ok: false, error: 'invalid_auth' });
    return slackJson({ ok: true, ...this.#claims(user) });
  }
}
