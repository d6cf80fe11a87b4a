-- A workspace is a Slack team. Every other row belongs to exactly one workspace.
CREATE TABLE workspaces (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slack_team_id text NOT NULL UNIQUE CHECK (slack_team_id ~ '^[A-Z0-9]+$'),
  name text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  status_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A person who uses Blindspot: a Slack user in one workspace.
CREATE TABLE managers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  slack_user_id text NOT NULL CHECK (slack_user_id ~ '^[A-Z0-9]+$'),
  time_zone text NOT NULL,
  locale text NOT NULL DEFAULT 'en-US',
  -- The DM channel, once conversations.open has given it, so each message costs one call.
  dm_channel_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, slack_user_id)
);
