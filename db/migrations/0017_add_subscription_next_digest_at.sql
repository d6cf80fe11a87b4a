-- The weekly digest is planned like deliveries (issue 19, item 3b): each subscription stores when
-- the reminder planner must next look at its digest, so a tick reads, and locks, only the
-- digests due in its window instead of every subscriber's for as long as it is Monday anywhere.
--
-- The reminder planner (planDigest in src/core/reminders/service.ts) writes the exact time, computed by the
-- schedule rules in TypeScript. '-infinity' means "look at it on the next tick": every change of
-- the schedule, the zone, the digest flag or the status sets it, so a stored time can never be
-- later than the digest it stands for. The trigger does that for every writer at once; the
-- planner's own update touches only next_digest_at, which does not fire it.
ALTER TABLE subscriptions ADD COLUMN next_digest_at timestamptz NOT NULL DEFAULT '-infinity';

CREATE FUNCTION subscriptions_recheck_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.next_digest_at := '-infinity';
  RETURN NEW;
END
$$;

CREATE TRIGGER subscriptions_recheck_digest
  BEFORE UPDATE OF weekdays, local_time, time_zone, weekly_digest, status ON subscriptions
  FOR EACH ROW
  WHEN (
    (OLD.weekdays, OLD.local_time, OLD.time_zone, OLD.weekly_digest, OLD.status)
      IS DISTINCT FROM (NEW.weekdays, NEW.local_time, NEW.time_zone, NEW.weekly_digest, NEW.status)
  )
  EXECUTE FUNCTION subscriptions_recheck_digest();

-- The digest pass's only read: due digests of active subscriptions, by time.
CREATE INDEX subscriptions_digest_due ON subscriptions (next_digest_at)
  WHERE weekly_digest AND status = 'active';
-- 0010's index served the scan of every digest subscriber, which no query makes any more.
DROP INDEX subscriptions_weekly_digest;
