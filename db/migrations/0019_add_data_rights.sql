-- Data rights (issue 16, item 6): a manager's export links, and erasing a person's audit trail.

-- A download link of everything Blindspot holds about one manager. The link's token is the
-- credential, so only its SHA-256 is kept; a link works once (used_at) and until expires_at.
CREATE TABLE data_exports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  manager_id bigint NOT NULL REFERENCES managers (id) ON DELETE CASCADE,
  token_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_exports_by_manager ON data_exports (manager_id);

-- The retention job deletes by age; these let it find old rows without reading every row.
CREATE INDEX deliveries_by_due ON deliveries (due_at);
CREATE INDEX reminders_by_due ON reminders (due_at);
CREATE INDEX responses_by_answered ON responses (answered_at);

-- audit_events stays append-only for everyone (0011's triggers, 0014's grants) except through
-- the one function below, which erases what the log holds about a person who asked to be
-- forgotten: the events they caused (actor "slack:<user id>") and those about their profile and
-- subscription. It runs as the table's owner (SECURITY DEFINER), so the api's role needs no
-- DELETE right, and the trigger lets a DELETE through only while this function has said so.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('blindspot.erasing_person', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- p_slack_user_id NULL: every person of the workspace (a whole workspace erased); events by
-- admins and the system about the workspace itself are kept.
CREATE FUNCTION erase_person_audit_events(
  p_workspace_id bigint,
  p_slack_user_id text,
  p_subject_ids text[]
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  erased bigint;
BEGIN
  PERFORM set_config('blindspot.erasing_person', 'on', true);
  DELETE FROM audit_events
   WHERE workspace_id = p_workspace_id
     AND (
       (p_slack_user_id IS NULL AND actor LIKE 'slack:%')
       OR actor = 'slack:' || p_slack_user_id
       OR (subject_type IN ('manager', 'subscription') AND subject_id = ANY (p_subject_ids))
     );
  GET DIAGNOSTICS erased = ROW_COUNT;
  PERFORM set_config('blindspot.erasing_person', 'off', true);
  RETURN erased;
END
$$;
