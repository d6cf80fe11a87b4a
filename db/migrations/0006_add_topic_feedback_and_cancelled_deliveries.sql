-- "Not relevant" on a topic message: that topic is not sent to that manager again.
CREATE TABLE topic_feedback (
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  topic_id bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('not_relevant')),
  delivery_id bigint REFERENCES deliveries (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (manager_id, topic_id, kind)
);

-- A delivery still waiting when its manager pauses or unsubscribes is cancelled, not sent.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
  CHECK (status IN ('pending', 'claimed', 'sent', 'missed', 'failed', 'cancelled'));

-- Topic rotation reads a manager's sent topics; the ledger's manager index serves it, and this
-- one finds the deliveries of one subscription still to send (pause, send-now).
CREATE INDEX deliveries_unsent_by_subscription ON deliveries (subscription_id)
  WHERE status IN ('pending', 'claimed');
