-- What a manager plans to do about a blind spot.
CREATE TABLE action_items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  topic_id bigint REFERENCES topics (id),
  delivery_id bigint REFERENCES deliveries (id) ON DELETE SET NULL,
  text text NOT NULL CHECK (char_length(btrim(text)) BETWEEN 1 AND 500),
  note text CHECK (char_length(note) <= 1000),
  source text NOT NULL CHECK (source IN ('modal', 'thread', 'dm', 'api')),
  -- The Slack event or message that created the item; a retried event finds it and adds nothing.
  source_key text,
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'done', 'partly', 'dropped', 'lapsed')),
  check_back_on date NOT NULL,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, source_key)
);
CREATE INDEX action_items_by_manager ON action_items (manager_id, status, created_at DESC);
-- Reminder planning: open items whose check-back date has come.
CREATE INDEX action_items_check_back ON action_items (check_back_on) WHERE status = 'open';

-- A reminder slot: one message per manager per local date, bundling every item due that day.
CREATE TABLE reminders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'claimed', 'sent', 'missed', 'failed')),
  lease_expires_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  slack_channel_id text,
  slack_ts text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (manager_id, local_date)
);
CREATE INDEX reminders_unsent ON reminders (due_at) WHERE status IN ('pending', 'claimed');

CREATE TABLE reminder_items (
  reminder_id bigint NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
  action_item_id bigint NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  PRIMARY KEY (reminder_id, action_item_id)
);
CREATE INDEX reminder_items_by_item ON reminder_items (action_item_id);

-- A manager's answer about an item. One per reminder and item, so a replayed click records once.
CREATE TABLE responses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  action_item_id bigint NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
  reminder_id bigint REFERENCES reminders (id) ON DELETE SET NULL,
  answer text NOT NULL CHECK (answer IN ('done', 'partly', 'not_yet', 'snoozed', 'dropped')),
  reflection text CHECK (char_length(reflection) <= 500),
  usefulness smallint CHECK (usefulness BETWEEN 1 AND 5),
  answered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reminder_id, action_item_id)
);
CREATE INDEX responses_by_item ON responses (action_item_id, answered_at);
