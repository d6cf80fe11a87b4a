-- Enterprise Grid (issue 16): the enterprise a workspace belongs to, as Slack said in a signed
-- request or an install. An org-wide install is stored once, for the enterprise, with no team:
-- this column is how a delivery to one of its workspaces finds the org's token, and how an
-- uninstall of the org finds every workspace it served. NULL: not in a Grid, or not known yet.
ALTER TABLE workspaces
  ADD COLUMN slack_enterprise_id text CHECK (slack_enterprise_id ~ '^[A-Z0-9]+$');

-- The org's workspaces, read when the org is uninstalled or reinstalled; most workspaces are in
-- no Grid, so only those that are are indexed.
CREATE INDEX workspaces_slack_enterprise_id_idx ON workspaces (slack_enterprise_id)
  WHERE slack_enterprise_id IS NOT NULL;
