-- A workspace handed to a bot for a status sweep is held for a while (a claim), so that two bot
-- replicas do not sweep the same workspace at once, and a workspace whose sweep fails (Slack
-- refusing: missing_scope) waits out the hold instead of coming first in every poll, ahead of
-- the others (src/core/member-statuses/service.ts).
ALTER TABLE workspaces
  ADD COLUMN statuses_sweep_claimed_at timestamptz;
