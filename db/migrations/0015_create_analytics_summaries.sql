-- Analytics (issue 15) reads summary tables that the worker's refresh_analytics task keeps up to
-- date incrementally (src/core/analytics/), never the ledgers themselves. Two layers:
--
-- 1. Manager-level rollups, one row per manager, local day and topic (or hour): what each
--    manager received and did that day. They let a week's cells count distinct managers
--    exactly (the k-anonymity rule needs exact counts, so no HyperLogLog). Only the worker
--    reads them; they go with their manager.
-- 2. Cells: the numbers the API serves, per ISO week (or local day, for delivery health), each
--    with the exact number of distinct managers behind every measure, so the API can apply the
--    suppression rule (docs/api/analytics.md) to a small number of rows.
--
-- Days are the manager's local dates (the ledgers' local_date; timestamps in the manager's time
-- zone), so a note, the action it led to and the answer to its reminder land on the day the
-- manager saw them.

CREATE TABLE analytics_manager_days (
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  day date NOT NULL,
  -- 0: not about a topic (an unsubscribe, an item written without one).
  topic_id bigint NOT NULL,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  -- The topic's category ("family"); '' when there is no topic.
  family text NOT NULL,
  planned integer NOT NULL,                  -- notes due: sent, missed or failed
  sent integer NOT NULL,
  sent_with_action integer NOT NULL,         -- sent notes that led to at least one action item
  items integer NOT NULL,                    -- action items written that day
  items_done integer NOT NULL,               -- ... of which done now
  items_lapsed integer NOT NULL,             -- ... of which lapsed now
  reminder_items_asked integer NOT NULL,     -- items asked about in reminders sent that day
  reminder_items_answered integer NOT NULL,  -- ... that got an answer
  usefulness_sum integer NOT NULL,           -- usefulness ratings (1-5) given that day
  usefulness_count integer NOT NULL,
  not_relevant integer NOT NULL,             -- "not relevant" marks made that day
  unsubscribed integer NOT NULL,             -- 1 on the day the manager unsubscribed
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (manager_id, day, topic_id)
);
-- A week's recount reads its days.
CREATE INDEX analytics_manager_days_by_day ON analytics_manager_days (day);

-- Answers (to reminders, or about an item) by the manager's local day and hour.
CREATE TABLE analytics_manager_hours (
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  day date NOT NULL,
  hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  family text NOT NULL,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  answers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (manager_id, day, hour, family)
);
CREATE INDEX analytics_manager_hours_by_day ON analytics_manager_hours (day);

-- Per ISO week (its Monday) and workspace, at three levels: 0 everything (family '', topic 0),
-- 1 one family (topic 0), 2 one topic of a family. Each measure has its population: the distinct
-- managers it is computed from.
CREATE TABLE analytics_week_cells (
  week date NOT NULL CHECK (extract(isodow FROM week) = 1),
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  level smallint NOT NULL CHECK (level IN (0, 1, 2)),
  family text NOT NULL,
  topic_id bigint NOT NULL,
  planned integer NOT NULL,
  sent integer NOT NULL,
  sent_with_action integer NOT NULL,
  items integer NOT NULL,
  items_done integer NOT NULL,
  items_lapsed integer NOT NULL,
  reminder_items_asked integer NOT NULL,
  reminder_items_answered integer NOT NULL,
  usefulness_sum integer NOT NULL,
  usefulness_count integer NOT NULL,
  not_relevant integer NOT NULL,
  unsubscribed integer NOT NULL,
  planned_managers integer NOT NULL,
  sent_managers integer NOT NULL,
  item_managers integer NOT NULL,
  reminded_managers integer NOT NULL,
  rater_managers integer NOT NULL,
  unsubscribed_managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (week, workspace_id, level, family, topic_id)
);

-- Answers per ISO week, local weekday and hour: level 0 all families (family ''), 1 one family.
CREATE TABLE analytics_activity_week_cells (
  week date NOT NULL CHECK (extract(isodow FROM week) = 1),
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  level smallint NOT NULL CHECK (level IN (0, 1)),
  family text NOT NULL,
  iso_weekday smallint NOT NULL CHECK (iso_weekday BETWEEN 1 AND 7),
  hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  answers integer NOT NULL,
  managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (week, workspace_id, level, family, iso_weekday, hour)
);

-- Delivery health per local date, across workspaces: percentiles do not add up, so the day is
-- summarised whole. Lateness is sent_at - due_at of the notes sent.
CREATE TABLE analytics_delivery_days (
  day date PRIMARY KEY,
  due integer NOT NULL,
  on_time integer NOT NULL,          -- sent less than 60 s after due_at
  late integer NOT NULL,             -- sent 60 s or more after due_at
  missed integer NOT NULL,
  failed integer NOT NULL,
  slack_errors integer NOT NULL,     -- notes whose last Slack error was not a rate limit
  rate_limited integer NOT NULL,     -- notes whose last Slack error was a rate limit
  lateness_p50_ms integer,
  lateness_p99_ms integer,
  managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL
);

-- How far the refresh has read: rows changed since `refreshed_through` (less an overlap, for
-- transactions that committed late) are read again at the next run. One row, locked by the run.
CREATE TABLE analytics_refresh_state (
  name text PRIMARY KEY,
  refreshed_through timestamptz NOT NULL
);

-- The refresh finds what changed since its last run by these. Answers get an updated_at (kept
-- by a trigger, so no writer can forget it) because a usefulness rating is added to an answer
-- after it was given.
ALTER TABLE responses ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE FUNCTION responses_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER responses_updated_at BEFORE UPDATE ON responses
  FOR EACH ROW EXECUTE FUNCTION responses_touch_updated_at();

CREATE INDEX deliveries_by_updated_at ON deliveries (updated_at);
CREATE INDEX deliveries_by_local_date ON deliveries (local_date);
CREATE INDEX reminders_by_updated_at ON reminders (updated_at);
CREATE INDEX reminders_by_local_date ON reminders (local_date);
CREATE INDEX action_items_by_updated_at ON action_items (updated_at);
-- A recount reads a few days of items and answers by when they were written.
CREATE INDEX action_items_by_created_at ON action_items (created_at);
CREATE INDEX responses_by_updated_at ON responses (updated_at);
CREATE INDEX responses_by_answered_at ON responses (answered_at);
CREATE INDEX topic_feedback_by_created_at ON topic_feedback (created_at);
CREATE INDEX subscriptions_by_updated_at ON subscriptions (updated_at);
