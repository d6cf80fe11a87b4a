/**
 * /api/v1/slack/*: what the bot needs to install into many workspaces (issue 16). It stores
 * and fetches installations (tokens sealed at rest, opened only for the bot's signed calls),
 * renews rotating tokens one replica at a time, keeps the OAuth state single-use across
 * replicas, and stops a whole Enterprise Grid org when its org-wide install goes.
 */
import { type Static, Type } from 'typebox';
import {
  claimInstallationRefresh,
  createOAuthState,
  fetchInstallation,
  type Installation,
  saveInstallation,
  storeRefreshedTokens,
  useOAuthState,
} from '../../core/installations/service.ts';
import type { Keyring } from '../../core/secrets/keyring.ts';
import { deactivateEnterprise } from '../../core/workspaces/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireService, SERVICE_TOKEN_SECURITY } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, ErrorRef, Nullable } from '../schemas.ts';

const SlackId = Type.String({ pattern: '^[A-Z0-9]{2,32}$' });
// Rotating bot tokens read xoxe.xoxb-…; their refresh tokens xoxe-….
const Token = Type.String({ pattern: '^xox[a-z](\\.xox[a-z])?-[A-Za-z0-9.-]{1,250}$' });

const queryFields = {
  teamId: Nullable(SlackId),
  enterpriseId: Nullable(SlackId),
  isEnterpriseInstall: Type.Boolean(),
};
const InstallationQuery = Type.Object(queryFields, { additionalProperties: false });

const InstallationSchema = Type.Object(
  {
    teamId: Nullable(SlackId),
    enterpriseId: Nullable(SlackId),
    isEnterpriseInstall: Type.Boolean(),
    appId: Nullable(SlackId),
    botUserId: Nullable(SlackId),
    botId: Nullable(SlackId),
    botScopes: Type.Array(Type.String({ pattern: '^[a-z:._]{1,64}$' }), { maxItems: 100 }),
    botToken: Token,
    botRefreshToken: Nullable(Token),
    botTokenExpiresAt: Nullable(DateTime),
    installerUserId: Nullable(SlackId),
  },
  { $id: 'SlackInstallation', additionalProperties: false },
);
const InstallationRef = Type.Ref('SlackInstallation');
type InstallationBody = Static<typeof InstallationSchema>;

function toBody(installation: Installation): InstallationBody {
  return {
    ...installation,
    botTokenExpiresAt: installation.botTokenExpiresAt?.toISOString() ?? null,
  };
}

function fromBody(body: InstallationBody): Installation {
  return {
    ...body,
    botTokenExpiresAt: body.botTokenExpiresAt === null ? null : new Date(body.botTokenExpiresAt),
  };
}

function queryOf(query: Static<typeof InstallationQuery>) {
  return {
    teamId: query.teamId ?? null,
    enterpriseId: query.enterpriseId ?? null,
    isEnterpriseInstall: query.isEnterpriseInstall,
  };
}

export function registerSlackInstallationRoutes(
  app: HttpServer,
  deps: RouteDependencies & { keyring?: Keyring },
) {
  const { db, keyring } = deps;
  const schema = (operationId: string, summary: string) => ({
    tags: ['slack'],
    security: SERVICE_TOKEN_SECURITY,
    operationId,
    summary,
  });
  const onRequest = requireService(deps.serviceToken);
  app.addSchema(InstallationSchema);

  app.put(
    '/slack/installations',
    {
      onRequest,
      schema: {
        ...schema('saveSlackInstallation', 'Store an installation made with Add to Slack'),
        description:
          'A reinstall (same enterprise and team) replaces the tokens and scopes and makes the ' +
          'workspace active again. Tokens are sealed before they reach the database.',
        body: InstallationRef,
        response: { 200: Type.Object({ created: Type.Boolean() }), 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request) =>
      saveInstallation(
        db,
        keyring,
        fromBody(request.body as InstallationBody),
        deps.now(),
        request.id,
      ),
  );

  app.post(
    '/slack/installations/lookup',
    {
      onRequest,
      schema: {
        ...schema('fetchSlackInstallation', "The installation an event's team or enterprise uses"),
        description:
          'With `isEnterpriseInstall`, the org-wide installation of `enterpriseId`, and the ' +
          "event's `teamId` is recorded as a workspace of that enterprise. Without it, the " +
          "team's own installation, or else the org-wide one of the enterprise the team was " +
          'recorded in.',
        body: InstallationQuery,
        response: { 200: InstallationRef, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request) =>
      toBody(await fetchInstallation(db, keyring, queryOf(request.body), deps.now())),
  );

  app.post(
    '/slack/installations/refresh-claim',
    {
      onRequest,
      schema: {
        ...schema('claimSlackTokenRefresh', 'Claim the renewal of a rotating token'),
        description:
          'Exactly one caller gets `claimed: true` while the token expires within ' +
          '`withinSeconds`; it renews the token with Slack and stores the new pair. Everyone ' +
          'else gets the current installation.',
        body: Type.Object(
          { ...queryFields, withinSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ claimed: Type.Boolean(), installation: InstallationRef }),
          401: ErrorRef,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request) => {
      const { withinSeconds, ...query } = request.body;
      const result = await claimInstallationRefresh(
        db,
        keyring,
        queryOf(query),
        withinSeconds * 1000,
        deps.now(),
      );
      return { claimed: result.claimed, installation: toBody(result.installation) };
    },
  );

  app.post(
    '/slack/enterprises/:enterpriseId/deactivation',
    {
      onRequest,
      schema: {
        ...schema(
          'deactivateSlackEnterprise',
          'An org-wide install was removed or its tokens revoked: stop every workspace it served',
        ),
        description:
          "Erases the enterprise's org-wide installation and deactivates, as one workspace's " +
          'uninstall does, every workspace of the enterprise that has no installation of its ' +
          'own. Repeating it changes nothing.',
        params: Type.Object({ enterpriseId: SlackId }, { additionalProperties: false }),
        body: Type.Object(
          { reason: Type.String({ pattern: '^[a-z_]{1,64}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            installationsErased: Type.Integer({ minimum: 0 }),
            workspacesDeactivated: Type.Integer({ minimum: 0 }),
          }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) =>
      deactivateEnterprise(
        db,
        request.params.enterpriseId,
        request.body.reason,
        deps.now(),
        request.id,
      ),
  );

  app.put(
    '/slack/installations/tokens',
    {
      onRequest,
      schema: {
        ...schema('storeRefreshedSlackTokens', 'Store the token pair a renewal returned'),
        body: Type.Object(
          { ...queryFields, botToken: Token, botRefreshToken: Token, expiresAt: DateTime },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 401: ErrorRef, 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const { botToken, botRefreshToken, expiresAt, ...query } = request.body;
      await storeRefreshedTokens(
        db,
        keyring,
        queryOf(query),
        { botToken, botRefreshToken, expiresAt: new Date(expiresAt) },
        deps.now(),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/slack/oauth-states',
    {
      onRequest,
      schema: {
        ...schema('createSlackOAuthState', 'A single-use state for an install about to start'),
        body: Type.Object(
          { installOptions: Type.Record(Type.String(), Type.Unknown()) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ state: Type.String() }), 401: ErrorRef },
      },
    },
    async (request, reply) => {
      const state = await createOAuthState(db, request.body.installOptions, deps.now());
      return reply.status(201).send({ state });
    },
  );

  app.post(
    '/slack/oauth-states/consumption',
    {
      onRequest,
      schema: {
        ...schema('useSlackOAuthState', 'Use up the state an OAuth callback came back with'),
        body: Type.Object(
          { state: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ installOptions: Type.Record(Type.String(), Type.Unknown()) }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) => ({
      installOptions: (await useOAuthState(db, request.body.state, deps.now())) as Record<
        string,
        unknown
      >,
    }),
  );
}
