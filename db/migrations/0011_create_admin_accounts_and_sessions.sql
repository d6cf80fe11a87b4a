-- The people who run this Blindspot (issue 13): accounts, their sessions, API keys for
-- scripts, single-use tokens (setup, invitation, password reset) and sign-in attempts for
-- throttling. Secrets are stored only as SHA-256 digests (session ids, API keys, tokens: all
-- 256-bit random, so a fast digest is enough) or argon2id hashes (passwords).

CREATE TABLE admin_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Kept as typed; uniqueness and look-ups use lower(email).
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
  -- invited: no password yet (the invitation link sets it).
  status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'deactivated')),
  password_hash text,
  password_changed_at timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admin_accounts_by_email ON admin_accounts (lower(email));

CREATE TABLE admin_sessions (
  -- The public handle (listing, revoking); the cookie holds a random id whose digest is below.
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  account_id bigint NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('enrolment', 'second_factor', 'full')),
  -- Double-submit CSRF token, tied to this session (and replaced with it on rotation).
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- Carried over on rotation: rotating never extends a session's life.
  absolute_expires_at timestamptz NOT NULL,
  address text,
  user_agent text
);
CREATE INDEX admin_sessions_by_account ON admin_sessions (account_id);

CREATE TABLE admin_api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
  secret_hash bytea NOT NULL UNIQUE,
  -- The first characters of the secret, to tell keys apart in a list.
  secret_prefix text NOT NULL,
  created_by bigint REFERENCES admin_accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  last_used_address text,
  revoked_at timestamptz
);
-- ADMIN_API_KEY is imported under this name; one live key holds it at a time.
CREATE UNIQUE INDEX admin_api_keys_one_live_name ON admin_api_keys (name)
  WHERE revoked_at IS NULL AND name = 'ADMIN_API_KEY';

CREATE TABLE admin_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('setup', 'invitation', 'password_reset')),
  token_hash bytea NOT NULL UNIQUE,
  -- The setup token names no account: it creates the first one.
  account_id bigint REFERENCES admin_accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK ((kind = 'setup') = (account_id IS NULL))
);
CREATE INDEX admin_tokens_by_account ON admin_tokens (account_id, kind);

-- One row per checked password or second factor, for throttling and sign-in history. The
-- subject is "account:<id>" or "email:<sha256 of the lower-cased address>" (so an unknown
-- address is throttled exactly like a known one, and answers give nothing away).
CREATE TABLE admin_sign_in_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('password', 'second_factor')),
  subject text,
  account_id bigint REFERENCES admin_accounts (id) ON DELETE CASCADE,
  address text NOT NULL,
  success boolean NOT NULL,
  method text,
  at timestamptz NOT NULL
);
CREATE INDEX admin_sign_in_attempts_by_subject ON admin_sign_in_attempts (subject, kind, at DESC);
CREATE INDEX admin_sign_in_attempts_by_address ON admin_sign_in_attempts (address, kind, at DESC);
CREATE INDEX admin_sign_in_attempts_by_account ON admin_sign_in_attempts (account_id, at DESC);

-- The audit log outlives what it describes: deployment-wide events (sign-ins) have no
-- workspace, and deleting a workspace keeps its history (the reference goes; the id stays).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_workspace_id_fkey;
ALTER TABLE audit_events ALTER COLUMN workspace_id DROP NOT NULL;
ALTER TABLE audit_events ADD COLUMN address text;
CREATE INDEX audit_events_by_time ON audit_events (created_at DESC, id DESC);
CREATE INDEX audit_events_by_action ON audit_events (action, created_at DESC);
CREATE INDEX audit_events_by_actor ON audit_events (actor, created_at DESC);

-- Append-only: no role the application connects as can change or remove an event.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
