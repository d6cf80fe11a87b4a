-- Second factors of admin accounts (TOTP, recovery codes, passkeys), the WebAuthn challenges in
-- flight, and the Slack sign-in requests in flight. Deleting an account takes its factors with it.

-- One authenticator app per account. The secret must stay readable to compute codes; it is never
-- logged and leaves the API once, at enrolment.
CREATE TABLE admin_totp (
  account_id bigint PRIMARY KEY REFERENCES admin_accounts (id) ON DELETE CASCADE,
  -- The confirmed secret: null until the person proved their app shows the right codes.
  secret text,
  confirmed_at timestamptz,
  -- The last 30-second step whose code was accepted: that step and earlier ones are refused, so
  -- a code seen over someone's shoulder cannot be used again (RFC 6238 section 5.2).
  last_used_step bigint,
  -- An enrolment in progress (a first one, or a new phone): it replaces `secret` only once a
  -- code from it is confirmed, so the old app keeps working until then.
  pending_secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((secret IS NULL) = (confirmed_at IS NULL))
);

-- Ten single-use codes per account, SHA-256 hashed (each has 60 random bits).
CREATE TABLE admin_recovery_codes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, code_hash)
);

CREATE TABLE admin_passkeys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
  -- base64url, as WebAuthn's JSON carries it; unique across accounts, so a passwordless sign-in
  -- finds its account from the credential alone.
  credential_id text NOT NULL UNIQUE,
  public_key bytea NOT NULL,
  -- The authenticator's signature counter: a response whose counter does not grow is refused
  -- (a cloned authenticator). Authenticators that keep no counter always send 0.
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX admin_passkeys_by_account ON admin_passkeys (account_id);

-- A challenge is handed out with registration or authentication options and taken back (deleted)
-- by the verification that answers it, so each is answered once, and only before it expires.
CREATE TABLE admin_webauthn_challenges (
  challenge text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('registration', 'authentication')),
  -- Who asked; null for a passwordless sign-in, where nobody is known yet.
  account_id bigint REFERENCES admin_accounts (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_webauthn_challenges_by_expiry ON admin_webauthn_challenges (expires_at);

-- "Sign in with Slack" between the redirect to Slack and the way back: the state (hashed; the
-- browser holds it in a cookie too), the nonce the ID token must carry, and the PKCE verifier.
CREATE TABLE admin_oidc_requests (
  state_hash text PRIMARY KEY,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_oidc_requests_by_expiry ON admin_oidc_requests (expires_at);
