-- A manager's schedule: which ISO weekdays, at what local time, in which IANA time zone.
CREATE TABLE subscriptions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL UNIQUE REFERENCES managers (id) ON DELETE CASCADE,
  weekdays smallint[] NOT NULL CHECK (
    cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]
  ),
  local_time time NOT NULL,
  time_zone text NOT NULL,
  skipped_categories text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'unsubscribed')),
  status_reason text,
  -- The UTC instant of the next delivery, computed from the local schedule (DST included)
  -- whenever the schedule changes or a delivery is planned. NULL unless active.
  next_due_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'active') = (next_due_at IS NOT NULL))
);
-- "What is due now": runs every scheduler tick. Partial, so paused rows cost nothing.
CREATE INDEX subscriptions_due ON subscriptions (next_due_at) WHERE status = 'active';

-- The delivery ledger: one row per subscription per local date. The unique key is what makes a
-- message impossible to send twice, whatever replicas, retries or restarts do.
CREATE TABLE deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  subscription_id bigint NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  topic_id bigint REFERENCES topics (id),
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'claimed', 'sent', 'missed', 'failed')),
  -- A claim is a lease: a sender that dies leaves it to expire, and the delivery is claimed again.
  lease_expires_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  slack_channel_id text,
  slack_ts text,
  sent_at timestamptz,
  late boolean NOT NULL DEFAULT false,
  error_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, local_date)
);
-- Claiming: unsent deliveries in due order.
CREATE INDEX deliveries_unsent ON deliveries (due_at) WHERE status IN ('pending', 'claimed');
-- A manager's history, newest first; and finding a delivery from a Slack thread.
CREATE INDEX deliveries_by_manager ON deliveries (manager_id, local_date DESC);
CREATE INDEX deliveries_by_message ON deliveries (slack_channel_id, slack_ts)
  WHERE slack_ts IS NOT NULL;
