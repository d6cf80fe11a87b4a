-- A manager's rating of one note, "useful" or "not for me" (issue 17, item 1): asked of every
-- note, with or without a planned action, and changeable, so one row per delivery holds the
-- latest. Unlike "not relevant" (topic_feedback), a rating does not hide the topic: it is a
-- signal about the note, read in aggregate.
CREATE TABLE note_ratings (
  delivery_id bigint PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  topic_id bigint REFERENCES topics (id) ON DELETE SET NULL,
  rating text NOT NULL CHECK (rating IN ('useful', 'not_for_me')),
  rated_at timestamptz NOT NULL
);

-- Erasing a manager deletes their rows through the cascade; this index makes that, and a
-- manager's own export, a lookup rather than a scan.
CREATE INDEX note_ratings_by_manager ON note_ratings (manager_id);
