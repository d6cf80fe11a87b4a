/**
 * "Sign in with Slack": it replaces the password step only. The verified email of the Slack
 * user must belong to an active account here, and the Slack workspace must be one this
 * Blindspot is installed in; the account's second factor is still asked for afterwards.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  type AccountRow,
  findAccountByEmail,
  updateAccountRow,
} from '../admin-accounts/repositories/accounts.ts';
import { normalizeEmail } from '../admin-accounts/rules.ts';
import { actorOf, type SignInContext } from '../admin-accounts/sign-in.ts';
import { recordAttempt } from '../admin-sessions/throttle.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError } from '../errors.ts';
import { countSecondFactors } from '../second-factors/repository.ts';
import { hasSecondFactor } from '../second-factors/service.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import { insertOidcRequest, takeOidcRequest } from './repository.ts';
import type { SlackIdentity, SlackOidcClient } from './slack-oidc.ts';

/** How long the person may spend on Slack's consent page. */
export const OIDC_REQUEST_TTL_MS = 10 * 60_000;

const digest = (state: string) => createHash('sha256').update(state).digest('hex');

export const oidcFailed = (cause?: unknown) =>
  new AppError('oidc_failed', 'Signing in with Slack did not work. Try again.', 400, { cause });

/** Starts a sign-in: where to send the browser, and the state its cookie must carry back. */
export async function beginSlackSignIn(
  db: Kysely<Database>,
  client: SlackOidcClient,
  redirectUri: string,
  now: Date,
): Promise<{ url: string; state: string }> {
  const request = await client.authorizationRequest(redirectUri);
  await insertOidcRequest(
    db,
    {
      stateHash: digest(request.state),
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      expiresAt: new Date(now.getTime() + OIDC_REQUEST_TTL_MS),
    },
    now,
  );
  return { url: request.url.toString(), state: request.state };
}

export interface SlackSignIn {
  account: AccountRow;
  identity: SlackIdentity;
  /** Where the new session starts: the account's second factor, or enrolling one. */
  stage: 'second_factor' | 'enrolment';
}

/**
 * Finishes a sign-in from Slack's redirect back. `browserState` is the state from the cookie set
 * when it started: a callback carried to another browser (login CSRF) has none, or another.
 * The outcome is audited, and a sign-in of a known account goes into its sign-in history.
 * @throws oidc_failed (400) when anything does not check out; oidc_no_account (403) when the
 * Slack identity maps to no active account here.
 */
export async function finishSlackSignIn(
  db: Kysely<Database>,
  client: SlackOidcClient,
  callback: { url: URL; browserState: string | undefined },
  context: SignInContext,
  now: Date,
): Promise<SlackSignIn> {
  let identity: SlackIdentity | undefined;
  let account: AccountRow | undefined;
  try {
    identity = await verifiedIdentity(db, client, callback, now);
    account = await accountFor(db, identity);
  } catch (error) {
    await recordSlackSignIn(db, { identity, success: false }, context, now);
    throw error;
  }
  await recordSlackSignIn(db, { identity, account, success: true }, context, now);
  const counts = await countSecondFactors(db, account.id);
  return { account, identity, stage: hasSecondFactor(counts) ? 'second_factor' : 'enrolment' };
}

async function verifiedIdentity(
  db: Kysely<Database>,
  client: SlackOidcClient,
  callback: { url: URL; browserState: string | undefined },
  now: Date,
): Promise<SlackIdentity> {
  const state = callback.url.searchParams.get('state');
  if (!state || state !== callback.browserState) throw oidcFailed();
  const request = await takeOidcRequest(db, digest(state), now);
  if (!request) throw oidcFailed();
  try {
    return await client.identityFromCallback(callback.url, { state, ...request });
  } catch (error) {
    throw oidcFailed(error);
  }
}

async function accountFor(db: Kysely<Database>, identity: SlackIdentity): Promise<AccountRow> {
  const workspace = identity.slackTeamId
    ? await findWorkspaceByTeam(db, identity.slackTeamId)
    : undefined;
  const account =
    identity.email && identity.emailVerified
      ? await findAccountByEmail(db, normalizeEmail(identity.email))
      : undefined;
  if (workspace?.status !== 'active' || account?.status !== 'active') {
    throw new AppError(
      'oidc_no_account',
      'No Blindspot admin account matches your Slack account. Ask an admin to invite your ' +
        'Slack email address, or sign in with your password.',
      403,
    );
  }
  return account;
}

async function recordSlackSignIn(
  db: Kysely<Database>,
  outcome: { identity?: SlackIdentity; account?: AccountRow; success: boolean },
  context: SignInContext,
  now: Date,
): Promise<void> {
  const { account, identity, success } = outcome;
  await db.transaction().execute(async (trx) => {
    if (account) {
      // The password step, done by Slack: history and throttling count it as one.
      await recordAttempt(
        trx,
        {
          accountId: account.id,
          address: context.address,
          kind: 'password',
          success,
          method: 'slack',
        },
        now,
      );
      await updateAccountRow(trx, account.id, { lastSignInAt: now }, now);
    }
    await recordAuditEvent(trx, {
      actor: account
        ? actorOf(account.id)
        : identity
          ? `slack:${identity.slackUserId}`
          : 'anonymous',
      action: success ? 'sign_in.slack_succeeded' : 'sign_in.slack_failed',
      subjectType: 'admin_account',
      subjectId: account?.id,
      requestId: context.requestId,
      address: context.address,
      details: {
        method: 'slack',
        ...(identity ? { slackTeamId: identity.slackTeamId ?? null } : {}),
      },
    });
  });
}
