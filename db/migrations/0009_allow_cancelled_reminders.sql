-- A reminder whose items were all answered (or deleted) before it went out has nothing to ask:
-- it is cancelled rather than sent empty.
ALTER TABLE reminders DROP CONSTRAINT reminders_status_check;
ALTER TABLE reminders ADD CONSTRAINT reminders_status_check
  CHECK (status IN ('pending', 'claimed', 'sent', 'missed', 'failed', 'cancelled'));
