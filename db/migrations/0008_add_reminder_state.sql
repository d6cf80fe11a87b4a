-- Reminder state per action item. check_back_on is the next date to ask about it.
ALTER TABLE action_items
  -- The interval the manager chose, in days: "not yet" waits this long again.
  ADD COLUMN interval_days integer NOT NULL DEFAULT 7 CHECK (interval_days BETWEEN 1 AND 366),
  -- Reminders sent since the last answer; at 3 the item lapses.
  ADD COLUMN unanswered_reminders integer NOT NULL DEFAULT 0;

-- A reminder message is a reminder (of items) or the weekly digest; one of each per manager per
-- local date at most.
ALTER TABLE reminders
  ADD COLUMN kind text NOT NULL DEFAULT 'reminder' CHECK (kind IN ('reminder', 'digest')),
  -- When it would have gone out without the daily cap, for the lateness the cap causes.
  ADD COLUMN wanted_at timestamptz;
ALTER TABLE reminders DROP CONSTRAINT reminders_manager_id_local_date_key;
ALTER TABLE reminders ADD CONSTRAINT reminders_manager_date_kind_key UNIQUE (manager_id, local_date, kind);

-- Items a reminder bundles that lapsed with it get a gentle last word instead of buttons.
ALTER TABLE reminder_items ADD COLUMN final boolean NOT NULL DEFAULT false;

-- The weekly digest is off unless the manager turns it on.
ALTER TABLE subscriptions ADD COLUMN weekly_digest boolean NOT NULL DEFAULT false;

-- Reminders per manager and day, for the daily cap and the history.
CREATE INDEX reminders_by_manager ON reminders (manager_id, local_date DESC);
