-- Away and holidays (issue 18, item 3; issue 17, item 4).
--
-- A pause may have an end: the manager is back on `paused_until` (a local date), and the
-- subscription resumes at `resumes_at`, the start of that day in the schedule's zone, computed
-- in TypeScript like next_due_at. Until then the row is paused with no next_due_at, so the
-- planner's due index (subscriptions_due) never sees it: being away costs the planner nothing.
ALTER TABLE subscriptions
  ADD COLUMN paused_until date,
  ADD COLUMN resumes_at timestamptz,
  ADD CONSTRAINT subscriptions_pause_end_check CHECK (
    (paused_until IS NULL) = (resumes_at IS NULL) AND (resumes_at IS NULL OR status = 'paused')
  );
-- The only read of the return: the few paused rows whose day has come.
CREATE INDEX subscriptions_returning ON subscriptions (resumes_at)
  WHERE status = 'paused' AND resumes_at IS NOT NULL;

-- The "welcome back" DM is a row of the reminders ledger: one per manager and day by the
-- ledger's unique key (manager_id, local_date, kind), so replicas racing to resume the same
-- subscription send it exactly once.
ALTER TABLE reminders DROP CONSTRAINT reminders_kind_check;
ALTER TABLE reminders ADD CONSTRAINT reminders_kind_check
  CHECK (kind IN ('reminder', 'digest', 'welcome_back'));

-- A note not sent on purpose: the manager's Slack status said they were out (skipped_away), or
-- the day is a public holiday where they are (skipped_holiday). Recorded, so the day is not
-- planned again and the Home tab can say why; not a failure, and never a reminder.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (
  status IN ('pending', 'claimed', 'sent', 'missed', 'failed', 'cancelled', 'skipped_away',
    'skipped_holiday')
);

-- The public holidays a manager keeps: an ISO 3166-1 country and, optionally, a region of it
-- as date-holidays names them (e.g. DE and BY).
ALTER TABLE managers
  ADD COLUMN holiday_country text,
  ADD COLUMN holiday_region text,
  ADD CONSTRAINT managers_holiday_region_check
    CHECK (holiday_region IS NULL OR holiday_country IS NOT NULL);
