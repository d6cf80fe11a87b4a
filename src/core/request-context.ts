/** Who is asking, as Slack knows them: the workspace (team) and the user in it. */
export interface SlackIdentity {
  slackTeamId: string;
  slackUserId: string;
}

/** What a service needs to know about the request it serves, for the audit trail. */
export interface RequestContext {
  requestId?: string;
  /** Who is asking, as the audit log names them ("admin:<id>", "apikey:<id>", …). */
  actor?: string;
  /** The client's address, for the audit log. */
  address?: string;
}
