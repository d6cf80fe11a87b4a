-- Workspace defaults an admin can change on the settings page (issue 15, item 6). A workspace
-- without a row uses the column defaults, which are the constants Blindspot used before this
-- table existed, so nothing changes until an admin saves the page.
CREATE TABLE workspace_settings (
  workspace_id bigint PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  -- Offered in the sign-up modal.
  default_weekdays smallint[] NOT NULL DEFAULT '{1,3,5}' CHECK (
    cardinality(default_weekdays) BETWEEN 1 AND 7
    AND default_weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]
  ),
  default_local_time time NOT NULL DEFAULT '09:00',
  -- No reminder or digest between quiet_start and quiet_end, local time; the window may cross
  -- midnight (the default does).
  quiet_start time NOT NULL DEFAULT '20:00',
  quiet_end time NOT NULL DEFAULT '08:00' CHECK (quiet_end <> quiet_start),
  -- Blindspot DMs a manager may get in a day, topic notes included. Reminders go only on note
  -- days, so below 2 no reminder would ever fit.
  daily_dm_cap smallint NOT NULL DEFAULT 2 CHECK (daily_dm_cap BETWEEN 2 AND 10),
  -- When an action is planned without a check-back choice, ask after this many days.
  check_back_days smallint NOT NULL DEFAULT 7 CHECK (check_back_days BETWEEN 1 AND 30),
  -- Whether a new sign-up gets the weekly digest.
  weekly_digest boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
