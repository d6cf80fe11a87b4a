-- Slack user groups, for the analytics team filter (issue 15, item 3: "team (a Slack user group,
-- when configured)"). The bot reads them from Slack (usergroups.list, usergroups.users.list)
-- and pushes them to the API; the bot never reads this database.

-- Every user group of a workspace as the bot last read it, and whether an admin chose it as an
-- analytics team. A group gone from Slack is marked removed rather than deleted, so a chosen
-- one stays on the settings page with the reason it no longer filters anything.
CREATE TABLE slack_user_groups (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  slack_group_id text NOT NULL CHECK (slack_group_id ~ '^S[A-Z0-9]{2,30}$'),
  handle text NOT NULL CHECK (length(handle) <= 255),
  name text NOT NULL CHECK (length(name) <= 255),
  is_team boolean NOT NULL DEFAULT false,
  removed boolean NOT NULL DEFAULT false,
  -- When the members below were last replaced from Slack, and how many members Slack listed
  -- (signed up or not); null until then, and again once the group is no longer chosen.
  members_synced_at timestamptz,
  member_count integer CHECK (member_count >= 0),
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, slack_group_id)
);

-- The members of the chosen groups who are Blindspot managers, and only those: nothing is kept
-- about anyone else, and erasing a manager erases their memberships with them (the cascade).
-- Someone who signs up later counts from the next sync (a subteam event, or within six hours).
-- Unchosen groups keep no members.
CREATE TABLE slack_user_group_members (
  group_id bigint NOT NULL REFERENCES slack_user_groups (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, manager_id)
);
-- The analytics join the members to a manager's rows; erasure deletes by manager.
CREATE INDEX slack_user_group_members_by_manager ON slack_user_group_members (manager_id);

-- One row per workspace the bot synced or an admin asked to sync: the bot asks the API which
-- workspaces are due (never synced, asked for, or synced longer ago than the period).
CREATE TABLE slack_user_group_syncs (
  workspace_id bigint PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  synced_at timestamptz,
  requested boolean NOT NULL DEFAULT true,
  -- Slack's error code of the last failed sync (missing_scope, paid_teams_only, ...), if any.
  error text CHECK (length(error) <= 64)
);
