#!/usr/bin/env bash
# Run a real single-node Apache Kafka 4.x broker (KRaft, broker + controller in one JVM)
# on 127.0.0.1, without Docker: the jars come from Maven Central through Maven.
#
# Usage: deploy/local/kafka.sh fetch|start|stop|restart|status|clean|logs|help
#
#   fetch    resolve the broker jars into the cache (once; later runs need no network)
#   start    fetch if needed, format storage (once), start the broker in the background,
#            wait until it answers a metadata request, print 127.0.0.1:PORT on stdout
#   stop     SIGTERM the broker of this data dir, SIGKILL after KAFKA_STOP_TIMEOUT s
#   restart  stop, then start
#   status   print 127.0.0.1:PORT and exit 0 if the broker runs and answers, else exit 1
#   clean    stop, then delete the data dir (never the jar cache)
#   logs     print the tail of the broker's logs
#
# Only the bootstrap address ever goes to stdout (ADDR=$(deploy/local/kafka.sh start));
# everything else goes to stderr.
#
# Environment (defaults in brackets):
#   KAFKA_VERSION           [4.1.2]  org.apache.kafka:kafka_2.13 version
#   KAFKA_PORT              [9092]   client (PLAINTEXT) port on 127.0.0.1
#   KAFKA_CONTROLLER_PORT   [9093]   KRaft controller port on 127.0.0.1
#   KAFKA_DATA_DIR          [<repo>/.run/kafka-$KAFKA_PORT]  config, storage, logs, pid
#   KAFKA_HEAP              [512m]   -Xmx and -Xms
#   KAFKA_JVM_OPTS          []       extra JVM options (word-split)
#   KAFKA_EXTRA_PROPERTIES  []       extra server.properties lines, appended as they are
#   KAFKA_START_TIMEOUT     [120]    seconds to wait for the broker to answer
#   KAFKA_STOP_TIMEOUT      [30]     seconds between SIGTERM and SIGKILL
#   KAFKA_STATUS_TIMEOUT    [5]      seconds `status` waits for an answer
#   THIDUA_CACHE_DIR        [$HOME/.cache/thidua]  jars go to kafka/$KAFKA_VERSION/libs
#   MAVEN_REPO_LOCAL        []       Maven local repository to use; by default ~/.m2/repository
#                                    when it exists, else $THIDUA_CACHE_DIR/m2/repository
#   PYTHON                  [<repo>/.venv/bin/python, else python3]  runs wait_for_kafka.py
#   JAVA_HOME               []       java from $JAVA_HOME/bin, else java on PATH (17+)
#
# Layout of the data dir: server.properties (generated from kafka/server.properties.in),
# cluster.id, kafka.pid, kafka.out (JVM stdout/stderr), logs/server.log (log4j),
# data/ (log.dirs: partitions and the KRaft metadata log).
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
KAFKA_CONF_DIR=$SCRIPT_DIR/kafka

KAFKA_VERSION=${KAFKA_VERSION:-4.1.2}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
KAFKA_STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
KAFKA_STATUS_TIMEOUT=${KAFKA_STATUS_TIMEOUT:-5}
KAFKA_HOST=127.0.0.1

CACHE_ROOT=${THIDUA_CACHE_DIR:-${HOME:-/root}/.cache/thidua}
KAFKA_HOME=$CACHE_ROOT/kafka/$KAFKA_VERSION
LIBS_DIR=$KAFKA_HOME/libs
FETCH_MARKER=$KAFKA_HOME/.fetch-complete

DATA_DIR=${KAFKA_DATA_DIR:-$REPO_ROOT/.run/kafka-$KAFKA_PORT}
case $DATA_DIR in /*) ;; *) DATA_DIR=$PWD/$DATA_DIR ;; esac
DATA_DIR=${DATA_DIR%/}
CONFIG_FILE=$DATA_DIR/server.properties
PID_FILE=$DATA_DIR/kafka.pid
OUT_FILE=$DATA_DIR/kafka.out
CLUSTER_ID_FILE=$DATA_DIR/cluster.id
LOG_DIR=$DATA_DIR/logs
STORAGE_DIR=$DATA_DIR/data
DATA_MARKER=$DATA_DIR/.thidua-kafka-data-dir

ADDRESS=$KAFKA_HOST:$KAFKA_PORT
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

check_settings() {
	local name value
	for name in KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT KAFKA_STATUS_TIMEOUT; do
		value=${!name}
		[[ $value =~ ^[0-9]+$ ]] || die "$name must be a number, got '$value'"
	done
	((KAFKA_PORT >= 1 && KAFKA_PORT <= 65535)) || die "KAFKA_PORT out of range: $KAFKA_PORT"
	((KAFKA_CONTROLLER_PORT >= 1 && KAFKA_CONTROLLER_PORT <= 65535)) || die "KAFKA_CONTROLLER_PORT out of range"
	((KAFKA_PORT != KAFKA_CONTROLLER_PORT)) || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
	[[ $KAFKA_VERSION =~ ^[0-9A-Za-z._-]+$ ]] || die "odd KAFKA_VERSION '$KAFKA_VERSION'"
}

# ---------------------------------------------------------------- prerequisites

need_java() {
	command -v "$JAVA" >/dev/null 2>&1 || die "java not found: Kafka 4.x needs Java 17+ (apt-get install -y openjdk-17-jre-headless, or set JAVA_HOME)"
	local line major
	line=$("$JAVA" -version 2>&1 | head -n 1)
	major=$(sed -E 's/.*version "([0-9]+).*/\1/' <<<"$line")
	[[ $major =~ ^[0-9]+$ ]] || die "cannot tell the Java version from: $line"
	((major >= 17)) || die "Kafka 4.x needs Java 17+, $JAVA is: $line"
}

python_bin() {
	if [[ -n ${PYTHON:-} ]]; then
		printf '%s\n' "$PYTHON"
	elif [[ -x $REPO_ROOT/.venv/bin/python ]]; then
		printf '%s\n' "$REPO_ROOT/.venv/bin/python"
	else
		printf '%s\n' python3
	fi
}

# wait_ready TIMEOUT [PID] [--quiet]: 0 when the broker answers a metadata request.
wait_ready() {
	local timeout=$1 pid=${2:-} py args
	shift 2 || shift $#
	py=$(python_bin)
	args=(--bootstrap-server "$ADDRESS" --timeout "$timeout")
	[[ -n $pid ]] && args+=(--pid "$pid")
	[[ -s $CLUSTER_ID_FILE ]] && args+=(--cluster-id "$(<"$CLUSTER_ID_FILE")")
	"$py" "$SCRIPT_DIR/wait_for_kafka.py" "${args[@]}" "$@" >&2
}

need_python_client() {
	local py
	py=$(python_bin)
	command -v "$py" >/dev/null 2>&1 || die "Python interpreter '$py' not found (set PYTHON)"
	"$py" -c 'import aiokafka' 2>/dev/null ||
		die "$py cannot import aiokafka, which wait_for_kafka.py needs: install the project into $REPO_ROOT/.venv (pip install -e .) or set PYTHON"
}

port_in_use() { (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null; }

# ---------------------------------------------------------------- fetch

fetch_done() { [[ -f $FETCH_MARKER && -f $LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar ]]; }

cmd_fetch() {
	if fetch_done; then
		log "Kafka $KAFKA_VERSION jars already in $LIBS_DIR"
		return 0
	fi
	command -v mvn >/dev/null 2>&1 || die "mvn not found: the broker jars come from Maven Central through Maven (apt-get install -y maven)"
	need_java
	mkdir -p "$KAFKA_HOME"
	if command -v flock >/dev/null 2>&1; then
		exec 8>"$KAFKA_HOME/.fetch.lock"
		flock 8
		if fetch_done; then # another process fetched while we waited
			exec 8>&-
			return 0
		fi
	fi

	local maven_repo_args=() tmp started count size
	if [[ -n ${MAVEN_REPO_LOCAL:-} ]]; then
		maven_repo_args=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
	elif [[ ! -d ${HOME:-/nonexistent}/.m2/repository ]]; then
		maven_repo_args=("-Dmaven.repo.local=$CACHE_ROOT/m2/repository")
	fi
	tmp=$(mktemp -d "$KAFKA_HOME/libs.tmp.XXXXXX")
	# shellcheck disable=SC2064 # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	log "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime jars from Maven Central into $LIBS_DIR ..."
	started=$SECONDS
	# mvn prints its errors on stdout, and Debian's Maven 3.8 emits colour resets even in
	# batch mode: strip them and send everything to stderr (pipefail keeps mvn's status).
	if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_CONF_DIR/pom.xml" "${maven_repo_args[@]}" \
		"-Dkafka.version=$KAFKA_VERSION" "-Dkafka.libs.dir=$tmp" \
		dependency:copy-dependencies 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' >&2; then
		die "mvn could not resolve Kafka $KAFKA_VERSION (is Maven Central reachable? does the version exist?)"
	fi
	[[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die "mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing from $tmp"
	ls "$tmp"/log4j-slf4j-impl-*.jar >/dev/null 2>&1 || die "log4j-slf4j-impl missing from $tmp (the broker would log nothing)"
	rm -rf "$LIBS_DIR"
	mv "$tmp" "$LIBS_DIR"
	trap - EXIT
	count=$(find "$LIBS_DIR" -name '*.jar' | wc -l)
	size=$(du -sh "$LIBS_DIR" | cut -f1)
	printf 'kafka_version=%s\njars=%s\nfetched_at=%s\n' "$KAFKA_VERSION" "$count" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$FETCH_MARKER"
	log "fetched $count jars ($size) in $((SECONDS - started))s"
	if command -v flock >/dev/null 2>&1; then exec 8>&-; fi
}

# ---------------------------------------------------------------- process lookup

# A pid is ours when it is alive (not a zombie) and its command line is
# "... kafka.Kafka <this data dir>/server.properties".
is_our_broker() {
	local pid=$1 stat args
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	stat=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
	[[ $stat == Z* ]] && return 1
	args=$(ps -ww -o args= -p "$pid" 2>/dev/null) || return 1
	[[ $args == *"kafka.Kafka $CONFIG_FILE"* ]]
}

# Prints the pids of this data dir's broker (normally one), from the pid file or,
# failing that, from the process table.
broker_pids() {
	local pid found=()
	if [[ -s $PID_FILE ]]; then
		pid=$(<"$PID_FILE")
		if is_our_broker "$pid"; then found+=("$pid"); fi
	fi
	if ((${#found[@]} == 0)) && command -v pgrep >/dev/null 2>&1; then
		while read -r pid; do
			if is_our_broker "$pid"; then found+=("$pid"); fi
		done < <(pgrep -f 'kafka\.Kafka' 2>/dev/null || true)
	fi
	((${#found[@]} > 0)) || return 1
	printf '%s\n' "${found[@]}"
}

# ---------------------------------------------------------------- start

render_config() {
	local tpl
	tpl=$(<"$KAFKA_CONF_DIR/server.properties.in")
	# Quoted replacements: no pattern or '&' expansion of the values.
	tpl=${tpl//@KAFKA_PORT@/"$KAFKA_PORT"}
	tpl=${tpl//@KAFKA_CONTROLLER_PORT@/"$KAFKA_CONTROLLER_PORT"}
	tpl=${tpl//@KAFKA_LOG_DIRS@/"$STORAGE_DIR"}
	{
		printf '# GENERATED by deploy/local/kafka.sh from deploy/local/kafka/server.properties.in: edits are lost on the next start.\n'
		printf '%s\n' "$tpl"
		if [[ -n ${KAFKA_EXTRA_PROPERTIES:-} ]]; then
			printf '\n# From KAFKA_EXTRA_PROPERTIES\n%s\n' "$KAFKA_EXTRA_PROPERTIES"
		fi
	} >"$CONFIG_FILE.tmp"
	mv "$CONFIG_FILE.tmp" "$CONFIG_FILE"
}

new_cluster_id() {
	# Like org.apache.kafka.common.Uuid.randomUuid(): 16 random bytes, URL-safe base64
	# without padding, never starting with '-'.
	local id
	while :; do
		id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
		[[ ${#id} -eq 22 && $id != -* ]] && break
	done
	printf '%s\n' "$id"
}

ensure_cluster_id() {
	local meta=$STORAGE_DIR/meta.properties from_meta=""
	if [[ -f $meta ]]; then
		from_meta=$(sed -n 's/^cluster\.id=//p' "$meta")
	fi
	if [[ -n $from_meta ]]; then
		if [[ -s $CLUSTER_ID_FILE && $(<"$CLUSTER_ID_FILE") != "$from_meta" ]]; then
			log "warning: $CLUSTER_ID_FILE disagrees with $meta; using the formatted storage's id $from_meta"
		fi
		printf '%s\n' "$from_meta" >"$CLUSTER_ID_FILE"
	elif [[ ! -s $CLUSTER_ID_FILE ]]; then
		new_cluster_id >"$CLUSTER_ID_FILE"
	fi
}

format_storage() {
	if [[ -f $STORAGE_DIR/meta.properties ]]; then
		log "storage in $STORAGE_DIR already formatted (cluster id $(<"$CLUSTER_ID_FILE"))"
		return 0
	fi
	log "formatting storage in $STORAGE_DIR (cluster id $(<"$CLUSTER_ID_FILE"))"
	"$JAVA" -Xmx256m "-Dlog4j2.configurationFile=$KAFKA_CONF_DIR/log4j2.yaml" "-Dkafka.logs.dir=$LOG_DIR" \
		-cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
		-t "$(<"$CLUSTER_ID_FILE")" -c "$CONFIG_FILE" --standalone --ignore-formatted >&2 ||
		die "formatting the storage failed (see above)"
}

# Line counts of the log files when this start began: failure reports show only what
# this start wrote.
SERVER_LOG_FROM=1
OUT_FILE_FROM=1

show_log_tail() { # FILE FIRST_LINE LINES
	local text
	[[ -s $1 ]] || return 0
	text=$(tail -n "+$2" "$1" | tail -n "$3")
	[[ -n ${text//[[:space:]]/} ]] || return 0
	printf '\n----- last %s lines of %s -----\n%s\n' "$3" "$1" "$text" >&2
}

show_logs() {
	local lines=${1:-40}
	show_log_tail "$LOG_DIR/server.log" "$SERVER_LOG_FROM" "$lines"
	show_log_tail "$OUT_FILE" "$OUT_FILE_FROM" "$lines"
}

mark_log_positions() {
	local n
	if [[ -f $LOG_DIR/server.log ]]; then n=$(wc -l <"$LOG_DIR/server.log"); SERVER_LOG_FROM=$((n + 1)); fi
	if [[ -f $OUT_FILE ]]; then n=$(wc -l <"$OUT_FILE"); OUT_FILE_FROM=$((n + 1)); fi
}

launch() {
	local jvm_opts launcher=() extra=() i pid=""
	jvm_opts=(
		"-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP"
		-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
		-XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
		-Djava.awt.headless=true
		"-Dlog4j2.configurationFile=$KAFKA_CONF_DIR/log4j2.yaml"
		"-Dkafka.logs.dir=$LOG_DIR"
	)
	# shellcheck disable=SC2206 # word-splitting wanted
	[[ -n ${KAFKA_JVM_OPTS:-} ]] && extra=($KAFKA_JVM_OPTS)
	if command -v setsid >/dev/null 2>&1; then launcher=(setsid); else launcher=(nohup); fi
	rm -f "$PID_FILE"
	printf '\n===== %s: starting Kafka %s on %s (controller %s:%s)\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$KAFKA_VERSION" "$ADDRESS" "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT" >>"$OUT_FILE"
	# New session (no controlling terminal, own process group): the broker outlives this
	# shell and Ctrl-C in it. The wrapper writes its own pid, then becomes the JVM. fd 9 (the
	# data dir lock) is closed so the broker does not hold it.
	# shellcheck disable=SC2016 # $0 and $$ belong to the inner shell
	"${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
		"$JAVA" "${jvm_opts[@]}" "${extra[@]}" -cp "$LIBS_DIR/*" kafka.Kafka "$CONFIG_FILE" \
		</dev/null >>"$OUT_FILE" 2>&1 9>&- &
	for ((i = 0; i < 100; i++)); do
		if [[ -s $PID_FILE ]]; then
			pid=$(<"$PID_FILE")
			break
		fi
		sleep 0.05
	done
	[[ -n $pid ]] || die "the broker did not start (no pid file $PID_FILE)"
	printf '%s\n' "$pid"
}

lock_data_dir() {
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$DATA_DIR/.lock"
		flock 9
	fi
}

cmd_start() {
	local pid started
	cmd_fetch
	need_java
	need_python_client
	mkdir -p "$DATA_DIR" "$LOG_DIR"
	touch "$DATA_MARKER"
	# Keep the default runtime folder out of git without touching .gitignore.
	if [[ $(dirname -- "$DATA_DIR") == "$REPO_ROOT/.run" && ! -e $REPO_ROOT/.run/.gitignore ]]; then
		printf '*\n' >"$REPO_ROOT/.run/.gitignore"
	fi
	lock_data_dir

	if pid=$(broker_pids | head -n 1); then
		log "broker of $DATA_DIR already running (pid $pid); checking it answers on $ADDRESS"
		local rc=0
		wait_ready "$KAFKA_START_TIMEOUT" "$pid" || rc=$?
		if ((rc == 0)); then
			printf '%s\n' "$ADDRESS"
			return 0
		fi
		((rc == 2)) && die "cannot check whether $ADDRESS answers (see above)"
		show_logs
		die "a broker (pid $pid) runs from $DATA_DIR but does not answer on $ADDRESS; try: $0 stop"
	fi

	local port
	for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
		if port_in_use "$port"; then
			die "port $KAFKA_HOST:$port is already in use by another process (not the broker of $DATA_DIR); pick other ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT"
		fi
	done

	ensure_cluster_id
	render_config
	format_storage

	started=$SECONDS
	mark_log_positions
	pid=$(launch)
	log "started Kafka $KAFKA_VERSION (pid $pid, data $DATA_DIR); waiting up to ${KAFKA_START_TIMEOUT}s for $ADDRESS"
	if ! wait_ready "$KAFKA_START_TIMEOUT" "$pid"; then
		show_logs
		if is_our_broker "$pid"; then
			log "stopping the broker that did not come up"
			stop_pids "$pid" || true
		fi
		rm -f "$PID_FILE"
		die "Kafka did not become ready on $ADDRESS (logs: $LOG_DIR/server.log, $OUT_FILE)"
	fi
	log "Kafka ready on $ADDRESS in $((SECONDS - started))s (pid $pid)"
	printf '%s\n' "$ADDRESS"
}

# ---------------------------------------------------------------- stop / status / clean

any_alive() {
	local pid
	for pid in "$@"; do
		if is_our_broker "$pid"; then return 0; fi
	done
	return 1
}

stop_pids() {
	local pids=("$@") deadline
	log "stopping Kafka (pid ${pids[*]}) with SIGTERM"
	kill -TERM "${pids[@]}" 2>/dev/null || true
	deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
	while any_alive "${pids[@]}" && ((SECONDS < deadline)); do sleep 0.2; done
	if any_alive "${pids[@]}"; then
		log "still running after ${KAFKA_STOP_TIMEOUT}s: SIGKILL"
		kill -KILL "${pids[@]}" 2>/dev/null || true
		deadline=$((SECONDS + 10))
		while any_alive "${pids[@]}" && ((SECONDS < deadline)); do sleep 0.1; done
		if any_alive "${pids[@]}"; then
			log "error: pid ${pids[*]} survived SIGKILL"
			return 1
		fi
	fi
	rm -f "$PID_FILE"
	log "stopped"
}

cmd_stop() {
	local pids
	if [[ ! -d $DATA_DIR ]]; then
		log "no data dir $DATA_DIR: nothing to stop"
		return 0
	fi
	lock_data_dir
	if ! pids=$(broker_pids); then
		log "no broker running from $DATA_DIR"
		rm -f "$PID_FILE"
		return 0
	fi
	# shellcheck disable=SC2086 # one pid per word
	stop_pids $pids
}

cmd_status() {
	local pid
	if ! pid=$(broker_pids | head -n 1); then
		log "not running (data dir $DATA_DIR)"
		return 1
	fi
	local rc=0
	wait_ready "$KAFKA_STATUS_TIMEOUT" "$pid" --quiet || rc=$?
	if ((rc == 0)); then
		log "running (pid $pid, data dir $DATA_DIR)"
		printf '%s\n' "$ADDRESS"
		return 0
	fi
	((rc == 2)) && die "cannot check whether $ADDRESS answers (see above); process $pid runs from $DATA_DIR"
	log "process $pid runs from $DATA_DIR but $ADDRESS does not answer"
	return 1
}

cmd_clean() {
	cmd_stop
	[[ -e $DATA_DIR ]] || return 0
	if [[ ! -f $DATA_MARKER ]]; then
		die "refusing to delete $DATA_DIR: it has no $(basename -- "$DATA_MARKER") marker, so it was not made by this script"
	fi
	rm -rf -- "$DATA_DIR"
	log "deleted $DATA_DIR"
}

cmd_logs() {
	show_logs "${1:-100}"
}

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

main() {
	local cmd=${1:-help}
	shift || true
	check_settings
	case $cmd in
	fetch) cmd_fetch ;;
	start) cmd_start ;;
	stop) cmd_stop ;;
	restart) cmd_stop && cmd_start ;;
	status) cmd_status ;;
	clean) cmd_clean ;;
	logs) cmd_logs "$@" ;;
	help | -h | --help) usage ;;
	*)
		usage
		die "unknown command '$cmd'"
		;;
	esac
}

main "$@"
