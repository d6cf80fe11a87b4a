/** Data rights' pure rules: how long an export link lives, its address, typed confirmations. */

/** An export link works once, for a day: long enough to find a laptop, short for a leak. */
export const EXPORT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The link's token: 43 base64url characters (./secrets.ts makes 32 random bytes). */
export const EXPORT_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export function exportExpiry(now: Date): Date {
  return new Date(now.getTime() + EXPORT_LINK_LIFETIME_MS);
}

/**
 * The download's address under PUBLIC_URL, never under a request's Host header. The token goes
 * in the query, which neither the api's logs nor the gateway's record (as for admin links).
 */
export function exportUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/exports?token=${token}`;
}

/**
 * What an admin must type to erase a workspace: its name, or its team id when Slack never
 * told us the name. Exact, apart from surrounding spaces: this is the last step before loss.
 */
export function workspaceConfirmation(workspace: { name: string | null; slackTeamId: string }) {
  return workspace.name ?? workspace.slackTeamId;
}

export function confirms(typed: string, expected: string): boolean {
  return typed.trim() === expected;
}
