/**
 * The OpenID Connect client for "Sign in with Slack", through openid-client: Slack's discovery
 * document, the authorization URL, and the code exchange with its checks (state, nonce, PKCE
 * when offered, and the ID token's signature against Slack's published keys).
 * https://docs.slack.dev/authentication/sign-in-with-slack/
 */
import * as oidc from 'openid-client';

export interface SlackOidcSettings {
  /** https://slack.com, or the stand-in's origin in tests. */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the verified ID token says about the person. */
export interface SlackIdentity {
  email: string | undefined;
  emailVerified: boolean;
  slackUserId: string;
  slackTeamId: string | undefined;
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class SlackOidcClient {
  readonly #settings: SlackOidcSettings;
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(settings: SlackOidcSettings) {
    this.#settings = settings;
  }

  /** Discovery runs on first use and is kept; a failure is retried on the next sign-in. */
  #config(): Promise<oidc.Configuration> {
    this.#configuration ??= this.#discover().catch((error: unknown) => {
      this.#configuration = undefined;
      throw error;
    });
    return this.#configuration;
  }

  async #discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.#settings.issuer);
    const config = await oidc.discovery(
      issuer,
      this.#settings.clientId,
      undefined,
      oidc.ClientSecretPost(this.#settings.clientSecret),
      // Only the stand-in (tests, local runs) is reached over plain HTTP.
      issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    // Check the ID token's signature against the issuer's JWKS too, not only TLS to the token
    // endpoint: the identity it asserts is what lets someone in.
    oidc.enableNonRepudiationChecks(config);
    return config;
  }

  async authorizationRequest(redirectUri: string): Promise<AuthorizationRequest> {
    const config = await this.#config();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
    };
    if (config.serverMetadata().supportsPKCE()) {
      parameters.code_challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
      parameters.code_challenge_method = 'S256';
    }
    return { url: oidc.buildAuthorizationUrl(config, parameters), state, nonce, codeVerifier };
  }

  /**
   * Exchanges the code in `callbackUrl` for tokens and returns the verified identity.
   * @throws when Slack refused, or any check failed; the caller logs why and answers vaguely.
   */
  async identityFromCallback(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SlackIdentity> {
    const config = await this.#config();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: config.serverMetadata().supportsPKCE() ? checks.codeVerifier : undefined,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('Slack returned no ID token');
    return {
      email: typeof claims.email === 'string' ? claims.email : undefined,
      emailVerified: claims.email_verified === true,
      slackUserId: claims.sub,
      slackTeamId:
        typeof claims['https://slack.com/team_id'] === 'string'
          ? claims['https://slack.com/team_id']
          : undefined,
    };
  }
}
