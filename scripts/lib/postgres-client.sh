# shellcheck shell=bash
# Shared by scripts/backup and scripts/restore (sourced, not run): how to reach Blindspot's
# PostgreSQL with its own client programs, on this machine or inside the compose deployment's
# postgres container, without the password ever showing in output or in `ps`.
#
# Host mode reads DATABASE_URL (or libpq's PG* variables when it is unset). The password is
# taken out of the URL and handed to libpq in PGPASSWORD: a process's arguments are visible to
# every user through `ps`, its environment only to the same user and root (/proc/PID/environ
# is mode 0400). The client programs must be the server's major version or newer: pg_dump
# refuses to dump a newer server.
#
# Compose mode (--compose) runs the programs in the `postgres` service's container with
# `docker compose exec -T`, so they always match the server's version, and they connect over
# the container's local socket as POSTGRES_USER to POSTGRES_DB (or to PGDATABASE, when it is
# set here: a scratch database for a restore drill). Archives travel through stdin and
# stdout, so nothing is copied into the container.

PG_COMPOSE=false
# The compose service that runs PostgreSQL.
PG_COMPOSE_SERVICE=${BLINDSPOT_POSTGRES_SERVICE:-postgres}
# The arguments that pick the database, for every program that connects.
PG_DB_ARGS=()

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() {
  say "$*"
  exit 1
}

# %40 -> @, and the rest of RFC 3986 percent-encoding; a literal backslash stays one.
url_decode() {
  local encoded=${1//\\/\\\\}
  printf '%b' "${encoded//%/\\x}"
}

# Decides where the client programs run and how they connect. $1: true for compose mode.
pg_client_setup() {
  PG_COMPOSE=$1
  if [[ $PG_COMPOSE == true ]]; then
    command -v docker >/dev/null || die '--compose needs docker on this machine'
    # Empty: libpq then takes the database from PGDATABASE, which the container's wrapper sets.
    PG_DB_ARGS=(--dbname=)
    return
  fi
  if [[ -n ${DATABASE_URL:-} ]]; then
    local pattern='^(postgres(ql)?://)(([^@/?#]*)@)?(.*)$'
    [[ $DATABASE_URL =~ $pattern ]] ||
      die 'DATABASE_URL must be a URL: postgres://user:password@host:5432/database'
    local scheme=${BASH_REMATCH[1]} userinfo=${BASH_REMATCH[4]} rest=${BASH_REMATCH[5]}
    if [[ $rest =~ [?\&]password= ]]; then
      die 'DATABASE_URL has ?password=: put the password before the @ instead, to keep it out of ps'
    fi
    local user=$userinfo
    if [[ $userinfo == *:* ]]; then
      user=${userinfo%%:*}
      PGPASSWORD=$(url_decode "${userinfo#*:}")
      export PGPASSWORD
    fi
    PG_DB_ARGS=(--dbname="$scheme${user:+$user@}$rest")
  elif [[ -z ${PGDATABASE:-}${PGHOST:-}${PGSERVICE:-} ]]; then
    die 'set DATABASE_URL (postgres://user:password@host:5432/database), or use --compose in the Docker deployment'
  fi
}

# Runs a PostgreSQL client program here or, in compose mode, in the postgres container. The
# caller adds "${PG_DB_ARGS[@]}" for programs that connect. PGAPPNAME names the session in
# pg_stat_activity, as the services' application_name does.
pg() {
  if [[ $PG_COMPOSE == true ]]; then
    # The official image trusts its local socket; the password is only for images that do not.
    # shellcheck disable=SC2016 # expanded by the container's shell, not this one
    docker compose exec -T -e PGAPPNAME="${PGAPPNAME:-}" -e PGDATABASE="${PGDATABASE:-}" \
      "$PG_COMPOSE_SERVICE" sh -c '
      PGUSER=${POSTGRES_USER:-postgres}
      PGDATABASE=${PGDATABASE:-${POSTGRES_DB:-$PGUSER}}
      export PGUSER PGDATABASE
      if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
        PGPASSWORD=$(cat "$POSTGRES_PASSWORD_FILE"); export PGPASSWORD
      elif [ -n "${POSTGRES_PASSWORD:-}" ]; then
        PGPASSWORD=$POSTGRES_PASSWORD; export PGPASSWORD
      fi
      exec "$@"' sh "$@"
  else
    "$@"
  fi
}

# Runs one SQL statement and prints its rows unaligned, fields split by '|'.
pg_query() {
  pg psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
    "${PG_DB_ARGS[@]}" --command="$1"
}

# Reads a whole custom-format archive from stdin, as a restore would, and prints one line per
# table with data: the COPY target (schema.table) and its row count. COPY's text format writes
# one line per row (newlines in values are escaped), ended by a line '\.'. Fails if the archive
# cannot be read to its end: `pg_restore --list` alone reads only the table of contents at the
# start, so it passes a truncated file.
pg_archive_row_counts() {
  pg pg_restore --data-only --file=- | awk '
    /^COPY / && table == "" { table = $2; rows = 0; next }
    table != "" && $0 == "\\." { print table, rows; table = ""; next }
    table != "" { rows++ }
    END { if (table != "") exit 1 }'
  local status=("${PIPESTATUS[@]}")
  [[ ${status[0]} -eq 0 && ${status[1]} -eq 0 ]]
}
