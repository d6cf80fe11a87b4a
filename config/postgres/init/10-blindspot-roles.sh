#!/usr/bin/env bash
# Database roles for Blindspot, least privilege first. The postgres image runs every script in
# /docker-entrypoint-initdb.d once, when it starts on an empty data directory, as the
# superuser (POSTGRES_USER) against POSTGRES_DB; compose.yaml mounts this folder there.
# Changing a password later is an ALTER ROLE, not a restart: docs/operations/deploy.md.
#
#   <prefix>_owner    owns the database and Blindspot's tables; only the one-shot `migrate`
#                     service connects as it (DDL happens there and nowhere else).
#   <prefix>_app      the api: SELECT, INSERT, UPDATE, DELETE on Blindspot's tables (only
#                     SELECT and INSERT on audit_events, which is append-only), no DDL.
#   <prefix>_worker   the worker: the same DML on Blindspot's tables, and it owns the
#                     graphile_worker schema, because graphile-worker installs and upgrades
#                     that schema itself when the runner starts and expects the role it runs
#                     as to own it (its tables have row level security switched on and no
#                     policies, so only their owner sees any job). Creating that schema
#                     needs CREATE on the database; that is the one extra right it has, and
#                     it still cannot alter or drop a Blindspot table.
#   <prefix>_monitor  postgres_exporter: pg_monitor (statistics views), no table access.
#
# The prefix is `blindspot` unless BLINDSPOT_DB_ROLE_PREFIX says otherwise (the tests use a
# unique one, because roles belong to the whole server). Passwords come from .env through the
# postgres service's environment; hex (`openssl rand -hex 24`) keeps them URL-safe.
set -euo pipefail

prefix="${BLINDSPOT_DB_ROLE_PREFIX:-blindspot}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  --set=db="${POSTGRES_DB:-postgres}" \
  --set=owner="${prefix}_owner" \
  --set=app="${prefix}_app" \
  --set=worker="${prefix}_worker" \
  --set=monitor="${prefix}_monitor" \
  --set=owner_password="${BLINDSPOT_OWNER_DB_PASSWORD:?BLINDSPOT_OWNER_DB_PASSWORD is not set}" \
  --set=app_password="${BLINDSPOT_APP_DB_PASSWORD:?BLINDSPOT_APP_DB_PASSWORD is not set}" \
  --set=worker_password="${BLINDSPOT_WORKER_DB_PASSWORD:?BLINDSPOT_WORKER_DB_PASSWORD is not set}" \
  --set=monitor_password="${BLINDSPOT_MONITOR_DB_PASSWORD:?BLINDSPOT_MONITOR_DB_PASSWORD is not set}" \
  <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
CREATE ROLE :"worker" LOGIN PASSWORD :'worker_password';
CREATE ROLE :"monitor" LOGIN PASSWORD :'monitor_password';
GRANT pg_monitor TO :"monitor";

-- The owner owns the database, and so (through pg_database_owner) the public schema: it may
-- create tables there. Since PostgreSQL 15 nobody else may.
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app", :"worker", :"monitor";
GRANT CREATE ON DATABASE :"db" TO :"worker";
GRANT USAGE ON SCHEMA public TO :"app", :"worker";

-- Every table and sequence the owner creates from now on (each migration) is readable and
-- writable by the api and the worker, without a GRANT in each migration file. The exception,
-- audit_events, is append-only: db/migrations/0014_revoke_audit_event_changes.sql takes UPDATE,
-- DELETE and TRUNCATE on it back from them once the table exists.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app", :"worker";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app", :"worker";

-- Query statistics for the slow-query runbooks, where the server ships the extension (the
-- compose file preloads it; without the preload the view errors, nothing else breaks).
SELECT 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
WHERE EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements')
\gexec
SQL
echo "blindspot: created roles ${prefix}_owner, ${prefix}_app, ${prefix}_worker, ${prefix}_monitor"
