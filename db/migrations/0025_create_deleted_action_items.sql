-- An action item the manager deleted, kept for the minute in which Slack offers "Undo" (issue 17,
-- item 3). The item is deleted at once, so no query of the live tables needs a "deleted" filter;
-- this copy holds the row, its answers and its place in reminders, as JSON of the rows as they
-- were, so that Undo puts back the same item under the same id. A worker task deletes copies
-- whose minute has passed; erasing a manager or a workspace cascades here too.
CREATE TABLE deleted_action_items (
  action_item_id bigint PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  item jsonb NOT NULL,
  responses jsonb NOT NULL,
  reminder_items jsonb NOT NULL,
  deleted_at timestamptz NOT NULL
);
CREATE INDEX deleted_action_items_by_manager ON deleted_action_items (manager_id);
CREATE INDEX deleted_action_items_by_time ON deleted_action_items (deleted_at);
