-- Slack statuses kept, not read per note (issue 19, items 1–2). The bot learns each manager's
-- status from a periodic users.list sweep and from Slack's user_status_changed event, and the
-- claim skips the notes of managers known to be out, instead of the outbox reading Slack
-- (users.profile.get, Tier 4) before every note. Only the derived flag is kept, never the
-- status text or emoji, and only for managers: the API drops everyone else the bot sends.

-- NULL: the status does not say out (or was never read). Otherwise the instant the "out"
-- status clears: 'infinity' when Slack sets no expiration.
ALTER TABLE managers
  ADD COLUMN away_until timestamptz,
  -- When the status above was learned (a sweep page, an event). A status older than the
  -- claim's freshness window is not trusted, and the bot reads Slack before posting instead.
  ADD COLUMN status_read_at timestamptz;

-- When the bot last finished a full users.list sweep of the workspace: the API hands the
-- workspace out again once that is long enough ago (src/core/member-statuses/service.ts).
ALTER TABLE workspaces
  ADD COLUMN statuses_swept_at timestamptz;
