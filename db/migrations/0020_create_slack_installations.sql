-- Many workspaces (issue 16): one row per installation of the app through "Add to Slack".
-- A workspace install has a team (and an enterprise when the workspace is part of a Grid); an
-- org-wide install has only the enterprise. NULLS NOT DISTINCT makes a second install of the
-- same pair an update, never a second row.
--
-- Tokens are never stored in the clear: each *_sealed column holds AES-256-GCM ciphertext
-- (src/core/secrets/keyring.ts) tagged with the id of the key that sealed it and bound by
-- associated data to this table, its column and the row's enterprise and team.
CREATE TABLE slack_installations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Erasing a workspace erases its tokens with it.
  workspace_id bigint REFERENCES workspaces (id) ON DELETE CASCADE,
  slack_enterprise_id text CHECK (slack_enterprise_id ~ '^[A-Z0-9]+$'),
  slack_team_id text CHECK (slack_team_id ~ '^[A-Z0-9]+$'),
  is_enterprise_install boolean NOT NULL DEFAULT false,
  app_id text,
  bot_user_id text,
  bot_id text,
  bot_scopes text[] NOT NULL DEFAULT '{}',
  bot_token_sealed text NOT NULL,
  -- With token rotation on (token_rotation_enabled), the bot token expires and this renews it.
  bot_refresh_token_sealed text,
  bot_token_expires_at timestamptz,
  -- One replica at a time renews an expiring token: it claims the row until this time, calls
  -- Slack, and stores the new pair; others keep using the current token or wait.
  token_refresh_claimed_until timestamptz,
  installer_user_id text,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (slack_enterprise_id, slack_team_id),
  CHECK (slack_team_id IS NOT NULL OR (is_enterprise_install AND slack_enterprise_id IS NOT NULL))
);
CREATE INDEX slack_installations_workspace_id_idx ON slack_installations (workspace_id);

-- The OAuth `state` of installs under way: single use (consumed by DELETE ... RETURNING), short
-- lived, shared by every bot replica. Only its SHA-256 is kept: the table alone cannot forge a
-- callback.
CREATE TABLE slack_oauth_states (
  state_sha256 text PRIMARY KEY,
  install_options jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_oauth_states_expires_at_idx ON slack_oauth_states (expires_at);
