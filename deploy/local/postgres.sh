#!/usr/bin/env bash
# Thi Đua — a local PostgreSQL for development and the integration tests, without Docker.
#
#   deploy/local/postgres.sh start              # prints the admin URL on its last stdout line
#   deploy/local/postgres.sh create-db [NAME…]  # prints one postgresql+asyncpg:// URL per database
#   deploy/local/postgres.sh drop-db NAME…      # DROP DATABASE IF EXISTS … WITH (FORCE)
#   deploy/local/postgres.sh stop               # stops our cluster (only if we started it)
#   deploy/local/postgres.sh status             # exit 0 if a server answers on the port
#   deploy/local/postgres.sh url                # prints the admin URL (no side effects)
#
# Settings (environment):
#   THIDUA_PG_PORT      default 5433 (Debian's own cluster, if any, keeps 5432)
#   THIDUA_PG_USER      default thidua
#   THIDUA_PG_PASSWORD  default thidua
#   THIDUA_PG_DATA      default $HOME/.cache/thidua/pg/data
#                       (as root, when the `postgres` system user cannot reach $HOME — e.g. /root
#                       is mode 0700 — the default becomes /var/lib/thidua/pg/data instead)
#
# `start` order: (1) reuse whatever already answers on 127.0.0.1:PORT if our role can log in;
# (2) otherwise find server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin newest first),
# installing Debian's `postgresql` with apt-get if there are none; (3) initdb our own cluster in
# THIDUA_PG_DATA (once) and start it with pg_ctl -w. The cluster is durable (fsync,
# synchronous_commit and full_page_writes on); one made by an older version of this script with
# them off is switched on by the next `start` (reload, no restart). See README, "Durability".
#
# stdout carries only the URLs; everything else goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
SCRIPT_PATH="$SCRIPT_DIR/$(basename -- "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
cd "$REPO_ROOT"

PG_HOST=127.0.0.1
PG_PORT="${THIDUA_PG_PORT:-5433}"
PG_USER="${THIDUA_PG_USER:-thidua}"
PG_PASSWORD="${THIDUA_PG_PASSWORD:-thidua}"
DEFAULT_DATABASES=(thidua_submissions thidua_scoring thidua_notifications thidua_reporting)
ROOT_FALLBACK_DATA=/var/lib/thidua/pg/data
LOG_FILE_NAME=thidua-postgres.log

log() { printf '[thidua-pg] %s\n' "$*" >&2; }
die() { printf '[thidua-pg] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "THIDUA_PG_PORT must be a number, got '$PG_PORT'"
[[ "$PG_USER" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "THIDUA_PG_USER must be a plain identifier, got '$PG_USER'"
[[ -n "$PG_PASSWORD" ]] || die "THIDUA_PG_PASSWORD must not be empty"

# ---------------------------------------------------------------------------------------------
# URLs

urlencode() {
    local s="$1" out="" c i
    local LC_ALL=C
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [A-Za-z0-9._~-]) out+="$c" ;;
            *) out+="$(printf '%%%02X' "'$c")" ;;
        esac
    done
    printf '%s' "$out"
}

admin_url() {
    printf 'postgresql://%s:%s@%s:%s/postgres\n' \
        "$(urlencode "$PG_USER")" "$(urlencode "$PG_PASSWORD")" "$PG_HOST" "$PG_PORT"
}

async_url() {
    printf 'postgresql+asyncpg://%s:%s@%s:%s/%s\n' \
        "$(urlencode "$PG_USER")" "$(urlencode "$PG_PASSWORD")" "$PG_HOST" "$PG_PORT" "$1"
}

# ---------------------------------------------------------------------------------------------
# Data directory

# The nearest ancestor of $1 (or $1 itself) that exists.
nearest_existing() {
    local d="$1"
    while [[ ! -e "$d" ]]; do d="$(dirname -- "$d")"; done
    printf '%s' "$d"
}

# Can the `postgres` system user traverse into directory $1 (or its nearest existing ancestor)?
postgres_user_can_reach() {
    local d
    d="$(nearest_existing "$1")"
    (cd / && runuser -u postgres -- test -x "$d") 2>/dev/null
}

DATA_NOTE=""

resolve_data_dir() {
    if [[ -n "${THIDUA_PG_DATA:-}" ]]; then
        PG_DATA="$THIDUA_PG_DATA"
    else
        PG_DATA="${HOME:-/tmp}/.cache/thidua/pg/data"
        # (no `postgres` user yet counts as "cannot reach": re-checked after installing PostgreSQL)
        if is_root && ! postgres_user_can_reach "$(dirname -- "$PG_DATA")"; then
            DATA_NOTE="the 'postgres' system user cannot reach $PG_DATA; using $ROOT_FALLBACK_DATA instead"
            PG_DATA="$ROOT_FALLBACK_DATA"
        fi
    fi
    # absolute path, without requiring that it exists yet
    case "$PG_DATA" in
        /*) ;;
        *) PG_DATA="$REPO_ROOT/$PG_DATA" ;;
    esac
    PG_DATA="${PG_DATA%/}"
    PG_LOG="$PG_DATA/$LOG_FILE_NAME"
}

# The unix socket lives in the data directory (private to the cluster's owner) unless the path
# would exceed the ~107-byte sun_path limit, in which case /tmp is used.
socket_dir() {
    if (( ${#PG_DATA} + ${#PG_PORT} + 12 < 100 )); then
        printf '%s' "$PG_DATA"
    else
        printf '/tmp'
    fi
}

# Run a server-side command as the cluster's owner: `postgres` when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise. cd / so runuser does not complain about a cwd
# the postgres user cannot read. fd 9 (our lock) is closed so the server does not inherit it.
as_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@") 9>&-
    else
        "$@" 9>&-
    fi
}

# ---------------------------------------------------------------------------------------------
# Binaries

PG_BINDIR=""

# /usr/lib/postgresql/<major>/bin, newest major first.
debian_bindirs() {
    compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k5,5 -V -r || true
}

has_server_bins() {
    [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

# Sets PG_BINDIR to a directory with server binaries; returns 1 if none is found.
# When a cluster already exists in PG_DATA, binaries of its major version are required.
find_server_bindir() {
    local want="" d candidates=()
    if [[ -f "$PG_DATA/PG_VERSION" ]]; then
        want="$(<"$PG_DATA/PG_VERSION")"
    fi
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        [[ -n "$d" ]] && candidates+=("$d")
    fi
    # newest major version first
    while IFS= read -r d; do
        [[ -n "$d" ]] && candidates+=("$d")
    done < <(debian_bindirs)
    for d in "${candidates[@]}"; do
        has_server_bins "$d" || continue
        if [[ -n "$want" ]]; then
            local v
            # "postgres (PostgreSQL) 15.18 (Debian …)" -> 15
            v="$("$d/postgres" --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1 || true)"
            [[ "$v" == "$want" ]] || continue
        fi
        PG_BINDIR="$d"
        return 0
    done
    if [[ -n "$want" ]]; then
        log "the cluster in $PG_DATA is PostgreSQL $want, and no server binaries of that version were found"
    fi
    return 1
}

install_postgres() {
    local sudo=()
    if ! is_root; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "no PostgreSQL server binaries found, and not root: install Debian's 'postgresql' package (apt-get install postgresql) and re-run"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries found and no apt-get to install them"
    log "no PostgreSQL server binaries found: installing Debian's 'postgresql' package (this takes a minute)"
    # Debian's package may create and start its own 'main' cluster on 5432; that is harmless,
    # we run our own cluster on our own port.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        postgresql postgresql-client >&2
}

# pg_isready / psql: from the server's bindir if we have one, else from PATH.
client_tool() {
    local name="$1" d
    if [[ -n "$PG_BINDIR" && -x "$PG_BINDIR/$name" ]]; then
        printf '%s' "$PG_BINDIR/$name"
        return 0
    fi
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for d in $(debian_bindirs); do
        if [[ -x "$d/$name" ]]; then
            printf '%s' "$d/$name"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# Talking to the server (always over TCP, with the role's password)

# Is something accepting connections on 127.0.0.1:PORT?
answering() {
    local isready
    if isready="$(client_tool pg_isready)"; then
        "$isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 3 >/dev/null 2>&1
    else
        # no client tools: at least see whether the port is open
        (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
    fi
}

# psql as our role against database `postgres`; extra args are passed on.
admin_psql() {
    local psql
    psql="$(client_tool psql)" || die "psql not found"
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 PGSSLMODE=prefer PGAPPNAME=thidua-postgres.sh \
        "$psql" -X -q -v ON_ERROR_STOP=1 \
        "host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=postgres" "$@"
}

# Can our role log in, and may it create databases?
role_usable() {
    local out
    out="$(admin_psql -At -c "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" \
        || return 1
    [[ "$out" == "t" ]]
}

wait_answering() {
    local i
    for ((i = 0; i < 60; i++)); do
        answering && return 0
        sleep 0.5
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# Our own cluster

cluster_running() {
    [[ -f "$PG_DATA/postmaster.pid" && -n "$PG_BINDIR" ]] || return 1
    as_owner "$PG_BINDIR/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

prepare_data_parent() {
    local parent
    parent="$(dirname -- "$PG_DATA")"
    (umask 022 && mkdir -p -- "$parent")
    if is_root; then
        id postgres >/dev/null 2>&1 \
            || die "running as root, but there is no 'postgres' system user to own the cluster"
        postgres_user_can_reach "$parent" \
            || die "the 'postgres' system user cannot reach $parent; set THIDUA_PG_DATA to a path it can reach"
    fi
}

initdb_cluster() {
    local pwfile locale
    log "initialising a new cluster in $PG_DATA (PostgreSQL from $PG_BINDIR)"
    (umask 077 && mkdir -p -- "$PG_DATA")
    if is_root; then
        chown postgres:postgres "$PG_DATA"
    fi
    chmod 0700 "$PG_DATA"
    # initdb reads the password from a file; put it beside the data dir, owner-only, and remove it.
    pwfile="$(dirname -- "$PG_DATA")/.thidua-pwfile.$$"
    (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile")
    is_root && chown postgres:postgres "$pwfile"
    trap 'rm -f -- "$pwfile"' EXIT
    locale=C
    if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
        locale=C.UTF-8
    fi
    # The bootstrap superuser is our role itself, with its password (scram-sha-256).
    # initdb syncs what it wrote (no --no-sync): `make run` keeps its data here too.
    as_owner "$PG_BINDIR/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" \
        --encoding=UTF8 --locale="$locale" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 >&2
    rm -f -- "$pwfile"
    trap - EXIT

    # Only password (scram) logins, and only from this machine.
    as_owner tee "$PG_DATA/pg_hba.conf" >/dev/null <<'EOF'
# Thi Đua dev/test cluster (written by deploy/local/postgres.sh)
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
EOF
    printf "\n# Thi Đua: settings written by deploy/local/postgres.sh on every start\ninclude_if_exists = 'thidua.conf'\n" \
        | as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

# Rewritten on every start, so a changed THIDUA_PG_PORT takes effect without re-initialising.
write_thidua_conf() {
    as_owner tee "$PG_DATA/thidua.conf" >/dev/null <<EOF
# Thi Đua dev/test cluster settings — written by deploy/local/postgres.sh on every start; edits are lost.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$(socket_dir)'
max_connections = 200
password_encryption = 'scram-sha-256'

# Durable: make run keeps its data here, and a service acknowledges a request (a 201) or
# commits a Kafka offset only after its transaction committed, so a commit must survive a crash.
# These are PostgreSQL's defaults, written out so that nothing earlier in postgresql.conf turns
# them off. The test suite's databases opt out of synchronous_commit one by one
# (tests/support/databases.py); nothing here does.
fsync = on
synchronous_commit = on
full_page_writes = on

shared_buffers = 128MB
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

start_cluster() {
    write_thidua_conf
    log "starting PostgreSQL on $PG_HOST:$PG_PORT (data: $PG_DATA, log: $PG_LOG)"
    if ! as_owner "$PG_BINDIR/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 >&2; then
        log "pg_ctl start failed; the end of $PG_LOG:"
        tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
        die "could not start PostgreSQL"
    fi
}

# ---------------------------------------------------------------------------------------------
# Durability
#
# Clusters made by earlier versions of this script ran with fsync, synchronous_commit and
# full_page_writes off. The three are reloadable (pg_settings.context 'sighup' or 'user'), so a
# running cluster is made durable without a restart, and its users (a `make run`, a test run)
# keep their connections. After fsync was off, PostgreSQL's docs ask that everything written
# meanwhile be flushed to disk once (initdb --sync-only), and a checkpoint after full_page_writes
# comes back on makes the next change of every page log the whole page again.

DURABLE_SETTINGS="'fsync', 'full_page_writes', 'synchronous_commit'"

# Did the thidua.conf in the data directory come from a version that turned durability off?
conf_was_unsafe() {
    grep -Eqs '^[[:space:]]*(fsync|full_page_writes|synchronous_commit)[[:space:]]*=[[:space:]]*'"'"'?off' \
        "$PG_DATA/thidua.conf"
}

# The durability settings a new session of our role sees that are off, one "name=off (source)"
# a line; nothing when the server is durable. (synchronous_commit = local/remote_* is durable.)
durable_settings_off() {
    admin_psql -At -F ' ' -c "SELECT name || '=' || setting, '(set by ' || source
            || coalesce(' ' || sourcefile, '') || ')'
        FROM pg_settings WHERE name IN ($DURABLE_SETTINGS) AND setting = 'off' ORDER BY name"
}

# Is the server answering on the port the cluster in PG_DATA? (Only a superuser may read
# data_directory: for any other role the answer is no.)
serves_our_data_dir() {
    local dir
    [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
    dir="$(admin_psql -At -c "SELECT current_setting('data_directory')" 2>/dev/null)" || return 1
    [[ -n "$dir" && "$(realpath -m -- "$dir")" == "$(realpath -m -- "$PG_DATA")" ]]
}

# Flush every file of the cluster to disk (PostgreSQL's docs: after running with fsync off,
# "while the cluster is shutdown or while fsync is on").
sync_data_dir() {
    log "flushing $PG_DATA to disk once (it was written with fsync off): initdb --sync-only"
    as_owner "$PG_BINDIR/initdb" --sync-only -D "$PG_DATA" >&2
}

# Our cluster is running with durability off (an older, unsafe thidua.conf): rewrite it,
# reload, and wait until new sessions see the durable values. (If something else keeps a
# setting off, ALTER SYSTEM say, check_durable then says what.)
make_running_cluster_durable() {
    local i
    log "our cluster in $PG_DATA runs with $(durable_settings_off | cut -d' ' -f1 | paste -sd, -): making it durable (reload, no restart)"
    write_thidua_conf
    as_owner "$PG_BINDIR/pg_ctl" reload -D "$PG_DATA" -s >&2
    # The postmaster applies a reload asynchronously: new sessions see it shortly after.
    for ((i = 0; i < 40; i++)); do
        [[ -z "$(durable_settings_off)" ]] && break
        sleep 0.25
    done
    admin_psql -c CHECKPOINT
    sync_data_dir
}

# Fail (our cluster) or warn (a server we only reuse) when something other than thidua.conf
# keeps durability off: ALTER SYSTEM, ALTER ROLE … SET, a server started with -c fsync=off.
check_durable() {
    local off
    off="$(durable_settings_off)" || die "could not read the server's durability settings"
    [[ -z "$off" ]] && return 0
    off="${off//$'\n'/; }"
    if serves_our_data_dir; then
        die "our cluster in $PG_DATA is not durable: $off. Undo that setting (e.g. ALTER SYSTEM RESET …, ALTER ROLE $PG_USER RESET …) and run '$SCRIPT_PATH start' again."
    fi
    log "WARNING: the server on $PG_HOST:$PG_PORT is not ours and is not durable ($off): acknowledged commits can be lost in a crash"
}

with_lock() {
    # Serialise concurrent start/stop/create-db calls (e.g. parallel test workers).
    local lockdir lockfile
    lockdir="$(dirname -- "$PG_DATA")"
    (umask 022 && mkdir -p -- "$lockdir") 2>/dev/null || true
    lockfile="$lockdir/.thidua-pg.lock"
    if command -v flock >/dev/null 2>&1 && { exec 9>>"$lockfile"; } 2>/dev/null; then
        flock -w 120 9 || die "timed out waiting for the lock $lockfile"
    fi
    "$@"
}

# ---------------------------------------------------------------------------------------------
# Commands

do_start() {
    [[ -z "$DATA_NOTE" ]] || log "$DATA_NOTE"
    # (1) something already answers on the port
    if answering; then
        if role_usable; then
            log "a PostgreSQL server already answers on $PG_HOST:$PG_PORT and role '$PG_USER' can log in: using it"
            # Ours and kept non-durable by thidua.conf (an older version's, loaded): rewrite it
            # and reload. Off for another reason (ALTER SYSTEM, say): check_durable says so.
            if find_server_bindir && serves_our_data_dir \
                && durable_settings_off | grep -qF "/thidua.conf)"; then
                make_running_cluster_durable
            fi
            check_durable
            return 0
        fi
        if client_tool psql >/dev/null; then
            die "something answers on $PG_HOST:$PG_PORT but role '$PG_USER' cannot log in with THIDUA_PG_PASSWORD (or may not create databases). Use another THIDUA_PG_PORT, fix the credentials, or (if it is our own cluster) run '$SCRIPT_PATH stop' and remove $PG_DATA."
        fi
        log "something answers on $PG_HOST:$PG_PORT, but there is no psql to check it with"
    fi

    # (2) server binaries
    if ! find_server_bindir; then
        if [[ -f "$PG_DATA/PG_VERSION" ]] && [[ -n "$(debian_bindirs)" ]]; then
            die "install PostgreSQL $(<"$PG_DATA/PG_VERSION") or remove $PG_DATA to start afresh"
        fi
        install_postgres
        resolve_data_dir  # the install created the `postgres` user: decide the default again
        find_server_bindir || die "installed 'postgresql' but still found no server binaries"
    fi
    log "server binaries: $PG_BINDIR"

    if answering; then
        # psql only came with the install; check again
        role_usable && { log "the server on $PG_HOST:$PG_PORT accepts role '$PG_USER': using it"; check_durable; return 0; }
        die "something answers on $PG_HOST:$PG_PORT but role '$PG_USER' cannot log in with THIDUA_PG_PASSWORD"
    fi

    # (3) our own cluster
    prepare_data_parent
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        if [[ -d "$PG_DATA" ]] && [[ -n "$(ls -A -- "$PG_DATA" 2>/dev/null)" ]]; then
            die "$PG_DATA exists, is not empty and holds no cluster: remove it or set THIDUA_PG_DATA"
        fi
        initdb_cluster
    elif cluster_running; then
        # running, but not answering on this port (e.g. THIDUA_PG_PORT changed): restart it
        log "our cluster is running but does not answer on $PG_HOST:$PG_PORT: restarting it"
        as_owner "$PG_BINDIR/pg_ctl" stop -D "$PG_DATA" -m fast -w >&2
    fi
    # Stopped after running with fsync off: its files may still sit in the page cache only.
    if conf_was_unsafe; then
        sync_data_dir
    fi
    start_cluster
    wait_answering || die "PostgreSQL started but does not answer on $PG_HOST:$PG_PORT; see $PG_LOG"
    role_usable || die "our cluster runs but role '$PG_USER' cannot log in with THIDUA_PG_PASSWORD (was $PG_DATA initialised with other credentials? stop it and remove the directory to start afresh)"
    check_durable
    log "ready"
}

cmd_start() {
    with_lock do_start
    admin_url
}

ensure_up() {
    if ! answering || ! role_usable; then
        log "no usable server on $PG_HOST:$PG_PORT yet: starting one"
        with_lock do_start
    fi
}

valid_db_name() {
    [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "invalid database name '$1' (letters, digits, underscore)"
}

db_exists() {
    [[ "$(admin_psql -At -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" == "1" ]]
}

cmd_create_db() {
    local names=("$@") name
    ((${#names[@]})) || names=("${DEFAULT_DATABASES[@]}")
    for name in "${names[@]}"; do valid_db_name "$name"; done
    ensure_up
    local err
    for name in "${names[@]}"; do
        if db_exists "$name"; then
            log "database $name exists"
        elif err="$(admin_psql -c "CREATE DATABASE \"$name\" OWNER \"$PG_USER\"" 2>&1 >/dev/null)"; then
            log "created database $name"
        elif db_exists "$name"; then
            log "database $name exists (created concurrently)"
        else
            printf '%s\n' "$err" >&2
            die "could not create database $name"
        fi
        # The services' databases are durable whatever was set on them before: only the test
        # suite's throwaway databases turn synchronous_commit off (tests/support/databases.py).
        admin_psql -c "ALTER DATABASE \"$name\" RESET synchronous_commit" >&2 \
            || log "WARNING: could not reset synchronous_commit on database $name"
    done
    for name in "${names[@]}"; do async_url "$name"; done
}

cmd_drop_db() {
    (($#)) || die "usage: $SCRIPT_PATH drop-db NAME [NAME...]"
    local name
    for name in "$@"; do valid_db_name "$name"; done
    for name in "$@"; do
        [[ "$name" != postgres && "$name" != template0 && "$name" != template1 ]] \
            || die "refusing to drop system database '$name'"
    done
    ensure_up
    for name in "$@"; do
        # silence the NOTICE "database … does not exist, skipping"
        PGOPTIONS="-c client_min_messages=warning" \
            admin_psql -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >&2
        log "dropped database $name (if it existed)"
    done
}

do_stop() {
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        log "no cluster of ours in $PG_DATA: nothing to stop"
        return 0
    fi
    if ! find_server_bindir; then
        log "no server binaries for the cluster in $PG_DATA: nothing to stop"
        return 0
    fi
    if cluster_running; then
        log "stopping our cluster in $PG_DATA"
        as_owner "$PG_BINDIR/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >&2
    else
        log "our cluster in $PG_DATA is not running: nothing to stop"
    fi
}

cmd_stop() {
    with_lock do_stop
}

cmd_status() {
    find_server_bindir >/dev/null 2>&1 || true
    if answering; then
        if role_usable; then
            log "answering on $PG_HOST:$PG_PORT; role '$PG_USER' can log in"
        else
            log "answering on $PG_HOST:$PG_PORT; role '$PG_USER' can NOT log in"
        fi
        if cluster_running; then log "our cluster in $PG_DATA is running"; fi
        return 0
    fi
    log "nothing answers on $PG_HOST:$PG_PORT"
    return 3
}

usage() {
    sed -n '2,25p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//' >&2
}

main() {
    local cmd="${1:-}"
    (($#)) && shift
    resolve_data_dir
    case "$cmd" in
        start) cmd_start "$@" ;;
        create-db) cmd_create_db "$@" ;;
        drop-db) cmd_drop_db "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status "$@" ;;
        url) admin_url ;;
        -h | --help | help) usage ;;
        *) usage; exit 2 ;;
    esac
}

main "$@"
