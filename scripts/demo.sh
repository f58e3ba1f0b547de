#!/usr/bin/env bash
# `make demo`: run Airflow with this provider against the local services, ingest a sample corpus
# from an upload folder, and print what landed where. `make demo-stop` stops Airflow again.
#
# Usage: scripts/demo.sh start|stop|status|report
#   start   start (or reuse) api-server, scheduler and dag-processor, drop the sample corpus into
#           the upload folder, trigger kmrl_ingest__uploads, wait for it, print the report
#   stop    stop the three Airflow components (clamd, S3 and Postgres keep running: `make stop`)
#   status  show the components and the API health
#   report  print the report again
#
# Expects scripts/services.sh to be running its services (the Makefile's `services` target).
# Settings (env): KMRL_STATE_DIR (default <repo>/.state), KMRL_DEMO_PORT (8080),
#   KMRL_DEMO_START_TIMEOUT (120 s), KMRL_DEMO_RUN_TIMEOUT (300 s), KMRL_DEMO_STOP_TIMEOUT (60 s),
#   KMRL_VENV (<repo>/.venv).
# Everything lives under $KMRL_STATE_DIR: airflow-demo/ (AIRFLOW_HOME, pids, logs) and demo/
# (sources file, upload folder, object store). `source $KMRL_STATE_DIR/airflow-demo/demo.env`
# gives a shell the same settings, so `airflow dags list` etc. talk to the demo.
set -eEuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$(realpath -m "${KMRL_STATE_DIR:-$REPO/.state}")
VENV=$(realpath -m "${KMRL_VENV:-$REPO/.venv}")
PY=$VENV/bin/python

HOST=127.0.0.1                       # loopback only: the demo has a generated admin password
PORT=${KMRL_DEMO_PORT:-8080}
BASE_URL=http://$HOST:$PORT
START_TIMEOUT=${KMRL_DEMO_START_TIMEOUT:-120}
RUN_TIMEOUT=${KMRL_DEMO_RUN_TIMEOUT:-300}
STOP_TIMEOUT=${KMRL_DEMO_STOP_TIMEOUT:-60}   # how long `stop` lets running tasks finish

DEMO_HOME=$STATE/airflow-demo        # AIRFLOW_HOME: airflow.cfg, SQLite DB, task logs
RUN_DIR=$DEMO_HOME/run               # <component>.pid and <component>.log
ENV_FILE=$DEMO_HOME/demo.env
DEMO_DIR=$STATE/demo
UPLOADS=$DEMO_DIR/uploads
STORE=$DEMO_DIR/store
CORPUS_STAGING=$DEMO_DIR/.corpus
SOURCES_FILE=$DEMO_DIR/kmrl_sources.yaml
SOURCE=uploads
DAG_ID=kmrl_ingest__$SOURCE
TASK_ID=ingest
DEMO_DB=kmrl_demo
RAW_BUCKET=kmrl-raw
QUARANTINE_BUCKET=kmrl-quarantine
COMPONENTS=(api-server scheduler dag-processor)   # no triggerer: nothing here defers

TOKEN=""
RUN_ID=""
STAT_STATE="" STAT_SID=""
declare -a TIMINGS=()
# Name the failing command when set -e stops the script (a silent exit helps nobody).
# Report once, from the main shell (command substitutions would repeat it).
trap 'rc=$?; [ "$BASH_SUBSHELL" != 0 ] ||
      echo "demo.sh: failed (exit $rc) at line $LINENO: $BASH_COMMAND" >&2' ERR

# --- helpers ---------------------------------------------------------------------------------------
die() { echo "demo.sh: $*" >&2; exit 1; }
say() { echo "demo: $*"; }
now_ms() { date +%s%3N; }
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
timed() {  # timed LABEL CMD...: run CMD and remember how long it took for the summary
  local label=$1 t0; shift
  t0=$(now_ms)
  "$@"   # not `|| ...`: that would switch off set -e inside CMD
  TIMINGS+=("$(printf '%-28s %8s' "$label" "$(since "$t0")")")
}

show_log() {  # show_log FILE [LINES]: the tail of a log, so failures explain themselves
  [ -s "$1" ] || return 0
  echo "---- last ${2:-30} lines of $1 ----" >&2
  tail -n "${2:-30}" "$1" >&2
}

# json EXPR: evaluate a Python expression over the JSON document on stdin (`d`); jq may be missing.
json() {
  "$PY" -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print("" if v is None else v)' "$1"
}

# read_stat PID: set STAT_STATE and STAT_SID from /proc/PID/stat, without forking (the command
# name in parentheses may contain spaces, so fields are counted after its closing parenthesis).
read_stat() {
  local line fields
  [ -n "${1:-}" ] || return 1
  { IFS= read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a fields <<<"${line##*) }"
  STAT_STATE=${fields[0]} STAT_SID=${fields[3]}
}

# pid_alive PID: the process exists and is not a zombie (a zombie has already exited).
pid_alive() { read_stat "$1" && [ "$STAT_STATE" != Z ]; }

session_of() { read_stat "$1" && echo "$STAT_SID"; }

# session_members SID: every live process in that session. Each component is started with setsid,
# so its session holds all its children (LocalExecutor workers, task supervisors, parsers) even
# after the component itself has exited and they were re-parented.
session_members() {
  local f pid
  for f in /proc/[0-9]*/stat; do
    pid=${f#/proc/}; pid=${pid%/stat}
    read_stat "$pid" && [ "$STAT_SID" = "$1" ] && [ "$STAT_STATE" != Z ] && echo "$pid"
  done
  return 0
}

pidfile() { echo "$RUN_DIR/$1.pid"; }
logfile() { echo "$RUN_DIR/$1.log"; }

# component_pid NAME: the pid from NAME's pidfile if that process is alive, is `airflow NAME` and
# leads its own session (we started it with setsid), so a recycled pid is never signalled.
component_pid() {
  local file pid
  file=$(pidfile "$1")
  [ -s "$file" ] || return 1
  pid=$(head -n1 "$file" | tr -dc 0-9)
  pid_alive "$pid" || return 1
  # setproctitle renames some (`airflow api_server -- host:...`), hence [-_].
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq "airflow ${1//-/[-_]}( |$)" || return 1
  [ "$(session_of "$pid")" = "$pid" ] || return 1
  echo "$pid"
}

# --- environment ---------------------------------------------------------------------------------
load_services_env() {
  [ -x "$PY" ] || die "no virtualenv at $VENV; run 'make demo' (it installs first)"
  eval "$(bash "$REPO/scripts/services.sh" env)"
  bash "$REPO/scripts/services.sh" status >/dev/null ||
    die "clamd, S3 or Postgres is not running; start them with 'make services' (make demo does)"
}

# write_env_file: every setting the Airflow components and the CLI need, in one sourceable file.
write_env_file() {
  mkdir -p "$DEMO_HOME" "$RUN_DIR"
  {
    echo "# Generated by scripts/demo.sh: the demo's Airflow settings. Source it to use the airflow CLI."
    # shellcheck disable=SC2016  # $PATH is meant to expand when the file is sourced
    printf 'export PATH=%q:"$PATH"\n' "$VENV/bin"
    printf 'export AIRFLOW_HOME=%q\n' "$DEMO_HOME"
    printf 'export AIRFLOW__CORE__DAGS_FOLDER=%q\n' "$REPO/dags"
    echo 'export AIRFLOW__CORE__LOAD_EXAMPLES=False'
    echo 'export AIRFLOW__CORE__PARALLELISM=4'          # 32 idle workers by default; 4 are plenty
    echo 'export AIRFLOW__CORE__TEST_CONNECTION=Enabled'
    printf 'export AIRFLOW__API__HOST=%q\n' "$HOST"
    printf 'export AIRFLOW__API__PORT=%q\n' "$PORT"
    # Task workers reach the api-server's Execution API here (the default assumes localhost:8080).
    printf 'export AIRFLOW__CORE__EXECUTION_API_SERVER_URL=%q\n' "$BASE_URL/execution/"
    printf 'export KMRL_SOURCES_FILE=%q\n' "$SOURCES_FILE"
    # The three connections the ingest DAG uses, as JSON env connections (nothing in the DB).
    "$PY" - "$KMRL_PG_DSN" "$DEMO_DB" "$KMRL_CLAMD_HOST" "$KMRL_CLAMD_PORT" "$STORE" <<'PY'
import json, shlex, sys
from urllib.parse import unquote, urlsplit

dsn, db, clamd_host, clamd_port, store = sys.argv[1:]
pg = urlsplit(dsn)
conns = {
    "KMRL_POSTGRES": {"conn_type": "postgres", "host": pg.hostname, "port": pg.port or 5432,
                      "login": unquote(pg.username or "postgres"),
                      "password": unquote(pg.password) if pg.password else None, "schema": db},
    "KMRL_CLAMAV": {"conn_type": "kmrl_clamav", "host": clamd_host, "port": int(clamd_port)},
    "KMRL_STORE": {"conn_type": "fs", "extra": {"path": store}},
}
for conn_id, conn in conns.items():
    conn = {k: v for k, v in conn.items() if v is not None}
    print(f"export AIRFLOW_CONN_{conn_id}={shlex.quote(json.dumps(conn))}")
PY
  } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  # shellcheck disable=SC1090
  source "$ENV_FILE"
}

demo_dsn() {  # libpq URI of the demo database (KMRL_PG_DSN names the server's `postgres` DB)
  "$PY" -c 'import sys; from urllib.parse import urlsplit
print(urlsplit(sys.argv[1])._replace(path="/" + sys.argv[2]).geturl())' "$KMRL_PG_DSN" "$DEMO_DB"
}

write_sources_file() {
  mkdir -p "$UPLOADS" "$STORE"
  cat >"$SOURCES_FILE.tmp" <<EOF
# Generated by scripts/demo.sh. dags/kmrl_sources.example.yaml documents every setting.
defaults:
  postgres_conn_id: kmrl_postgres
  store_conn_id: kmrl_store
  clamav_conn_id: kmrl_clamav
  raw_bucket: $RAW_BUCKET
  quarantine_bucket: $QUARANTINE_BUCKET
sources:
  - name: $SOURCE
    kind: upload
    schedule: null          # the demo triggers it; a cron here would ingest new files by itself
    options:
      path: "$UPLOADS"
      after_ingest: keep
EOF
  # Rewrite only on change, so a running dag-processor has nothing to re-parse.
  if cmp -s "$SOURCES_FILE.tmp" "$SOURCES_FILE"; then
    rm "$SOURCES_FILE.tmp"
  else
    mv "$SOURCES_FILE.tmp" "$SOURCES_FILE"
  fi
}

ensure_demo_db() {  # the documents table goes into its own database, created on first use
  "$PY" - "$KMRL_PG_DSN" "$DEMO_DB" <<'PY'
import sys
import psycopg2
from psycopg2 import errors, sql

dsn, db = sys.argv[1:]
conn = psycopg2.connect(dsn)
conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
    if cur.fetchone() is None:
        try:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
            print(f"demo: created database {db}")
        except errors.DuplicateDatabase:
            pass  # created concurrently
conn.close()
PY
}

migrate_once() {  # `airflow db migrate` once per Airflow version (it takes several seconds)
  local version stamp
  version=$("$PY" -c 'import importlib.metadata as m; print(m.version("apache-airflow"))')
  stamp=$DEMO_HOME/.migrated-$version
  [ -f "$stamp" ] && return 0
  say "airflow db migrate (first run only) -> $DEMO_HOME"
  "$VENV/bin/airflow" db migrate >"$RUN_DIR/migrate.log" 2>&1 ||
    { show_log "$RUN_DIR/migrate.log"; die "airflow db migrate failed"; }
  touch "$stamp"
}

# --- components ----------------------------------------------------------------------------------
component_cmd() {
  case $1 in
    api-server)    echo "api-server --host $HOST --port $PORT" ;;
    # The api-server reads task logs from disk (same machine), so no log server on 0.0.0.0:8793.
    scheduler)     echo "scheduler --skip-serve-logs" ;;
    dag-processor) echo "dag-processor" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

start_component() {
  local name=$1 pid file
  if pid=$(component_pid "$name"); then
    say "$name already running (pid $pid), reusing it"
    return 0
  fi
  if [ "$name" = api-server ] && port_open "$PORT"; then
    die "port $HOST:$PORT is in use by another program; choose another with KMRL_DEMO_PORT=..."
  fi
  file=$(pidfile "$name")
  rm -f "$file"
  # setsid: own session, so `stop` can find every child; the wrapper writes its pid, then execs.
  # shellcheck disable=SC2016,SC2046  # $$ expands in the wrapper; the command is split on purpose
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$file" "$VENV/bin/airflow" $(component_cmd "$name") \
    </dev/null >>"$(logfile "$name")" 2>&1 &
  for _ in $(seq 100); do [ -s "$file" ] && break; sleep 0.02; done
  [ -s "$file" ] || die "could not start $name"
  say "started $name (pid $(cat "$file"), log $(logfile "$name"))"
}

health() { curl -sf --max-time 5 "$BASE_URL/api/v2/monitor/health"; }

# healthy: the metadata DB, scheduler and dag-processor all report healthy (triggerer not used).
healthy() {
  local h
  h=$(health) || return 1
  [ "$(json 'all(d.get(k, {}).get("status") == "healthy"
                 for k in ("metadatabase", "scheduler", "dag_processor"))' <<<"$h")" = True ]
}

wait_healthy() {
  local deadline=$((SECONDS + START_TIMEOUT)) name
  until healthy; do
    for name in "${COMPONENTS[@]}"; do
      component_pid "$name" >/dev/null ||
        { show_log "$(logfile "$name")"; die "airflow $name exited during startup"; }
    done
    if [ $SECONDS -ge $deadline ]; then
      echo "health: $(health || echo 'no answer')" >&2
      for name in "${COMPONENTS[@]}"; do show_log "$(logfile "$name")" 20; done
      die "Airflow did not become healthy within ${START_TIMEOUT}s"
    fi
    sleep 1
  done
  say "Airflow healthy at $BASE_URL"
}

all_running() {
  local name
  for name in "${COMPONENTS[@]}"; do component_pid "$name" >/dev/null || return 1; done
}

# check_port: a running demo keeps the port it was started with (and demo.env must keep
# describing it); say so instead of rewriting the settings and timing out.
check_port() {
  local pid
  if pid=$(component_pid api-server) &&
     ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq "port[: ]$PORT( |$)"; then
    die "the demo api-server (pid $pid) runs on another port; 'make demo-stop' first to change KMRL_DEMO_PORT"
  fi
}

start_airflow() {
  local name
  if all_running && healthy; then
    say "Airflow already running and healthy at $BASE_URL, reusing it"
    return 0
  fi
  for name in "${COMPONENTS[@]}"; do start_component "$name"; done
  wait_healthy
}

# stop_components TIMEOUT NAME...: SIGTERM each, wait up to TIMEOUT s, then SIGKILL whatever is
# left in their sessions (a hung component, orphaned LocalExecutor workers).
stop_components() {
  local timeout=$1 name pid sids=() left; shift
  for name in "$@"; do
    if pid=$(component_pid "$name"); then
      say "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      sids+=("$pid")
    else
      say "$name not running"
    fi
    rm -f "$(pidfile "$name")"
  done
  for _ in $(seq $((timeout * 10))); do
    left=0
    for pid in "${sids[@]}"; do pid_alive "$pid" && left=1; done
    [ $left = 0 ] && break
    sleep 0.1
  done
  for pid in "${sids[@]}"; do
    left=$(session_members "$pid" | tr '\n' ' ')
    if [ -n "$left" ]; then
      say "SIGKILL to what is left of session $pid after ${timeout}s: $left"
      # shellcheck disable=SC2086
      kill -KILL $left 2>/dev/null || true
    fi
  done
}

stop_airflow() {
  # Scheduler first: it waits for running tasks, and they report their end to the api-server.
  # A task killed after the timeout is not lost: its documents are resumed by the next run.
  stop_components "$STOP_TIMEOUT" scheduler
  stop_components 30 dag-processor api-server
  say "Airflow demo stopped (clamd, S3 and Postgres keep running; 'make stop' stops them too)"
}

# --- the ingest run ------------------------------------------------------------------------------
# drop_corpus: write the sample corpus to a staging folder and copy into the upload folder only
# the files that are missing there. An upload's identity is path+size+mtime, and the corpus writer
# stamps fresh mtimes (and its docx/xlsx/zip embed the time), so overwriting the files would make
# every one a new item on each `make demo`; files left in place are recognised and skipped.
drop_corpus() {
  rm -rf "$CORPUS_STAGING"
  (cd "$REPO" && "$PY" -m tests.corpus "$CORPUS_STAGING" >/dev/null)
  "$PY" - "$CORPUS_STAGING" "$UPLOADS" <<'PY'
import os, shutil, sys

staging, uploads = sys.argv[1:]
copied = kept = 0
for parent, _dirs, files in os.walk(staging):
    for name in files:
        src = os.path.join(parent, name)
        dst = os.path.join(uploads, os.path.relpath(src, staging))
        if os.path.lexists(dst):
            kept += 1
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)  # keeps the corpus's mtimes, which fix the ingest order
        copied += 1
print(f"demo: sample corpus -> {uploads}: {copied} file(s) added, {kept} already there (left as they are)")
PY
  rm -rf "$CORPUS_STAGING"
}

login() {  # a JWT for the REST API, as the generated SimpleAuthManager admin
  local pwfile=$DEMO_HOME/simple_auth_manager_passwords.json.generated pw
  [ -s "$pwfile" ] || die "$pwfile is missing (the api-server writes it on start)"
  pw=$(json 'd["admin"]' <"$pwfile")
  TOKEN=$("$PY" -c 'import json, sys; print(json.dumps({"username": "admin", "password": sys.argv[1]}))' "$pw" |
    curl -sf --max-time 10 -X POST "$BASE_URL/auth/token" -H 'Content-Type: application/json' -d @- |
    json 'd["access_token"]') || die "could not log in to $BASE_URL as admin"
}

api() {  # api METHOD PATH [JSON BODY]: authenticated REST call, prints the response body
  local args=(-sS --max-time 30 --fail-with-body -X "$1" -H "Authorization: Bearer $TOKEN"
              -H 'Content-Type: application/json' "$BASE_URL$2")
  [ $# -lt 3 ] || args+=(-d "$3")
  curl "${args[@]}"
}

api_status() {  # api_status PATH: just the HTTP status code
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $TOKEN" "$BASE_URL$1"
}

wait_for_dag() {  # the dag-processor must have parsed dags/ (with our sources file) first
  local deadline=$((SECONDS + START_TIMEOUT)) errors
  until [ "$(api_status "/api/v2/dags/$DAG_ID")" = 200 ]; do
    errors=$(api GET /api/v2/importErrors |
      json '"\n".join(e["filename"] + ":\n" + e["stack_trace"] for e in d["import_errors"])')
    if [ -n "$errors" ]; then
      echo "$errors" >&2
      die "the DAG folder has import errors (above); $DAG_ID cannot run"
    fi
    [ $SECONDS -lt $deadline ] ||
      { show_log "$(logfile dag-processor)"; die "$DAG_ID did not appear within ${START_TIMEOUT}s"; }
    sleep 1
  done
}

trigger_run() {
  api PATCH "/api/v2/dags/$DAG_ID" '{"is_paused": false}' >/dev/null
  RUN_ID=$(api POST "/api/v2/dags/$DAG_ID/dagRuns" '{"logical_date": null, "conf": {}}' |
    json 'd["dag_run_id"]')
  say "triggered $DAG_ID run $RUN_ID"
}

task_log_file() {  # task_log_file TRY: where the task's log for that attempt is on disk
  find "$DEMO_HOME/logs/dag_id=$DAG_ID" -path "*/run_id=$RUN_ID/task_id=$TASK_ID/attempt=$1.log" 2>/dev/null | head -n1
}

# show_task_log TRY: the task log as text (it is JSON lines on disk), last lines only.
show_task_log() {
  local file
  file=$(task_log_file "$1")
  [ -n "$file" ] || { echo "(no log file for attempt $1 under $DEMO_HOME/logs)" >&2; return 0; }
  echo "---- task log (attempt $1): $file ----" >&2
  "$PY" - "$file" <<'PY' | tail -n 60 >&2
import json, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        rec = json.loads(line)
    except ValueError:
        print(line.rstrip())
        continue
    print(f"{rec.get('timestamp', '')[11:19]} {rec.get('level', '')[:5]:5} {rec.get('event', '')}")
    for err in rec.get("error_detail") or []:
        for frame in err.get("frames", [])[-6:]:
            print(f"    {frame.get('filename')}:{frame.get('lineno')} in {frame.get('name')}")
        print(f"    {err.get('exc_type')}: {err.get('exc_value')}")
PY
}

wait_for_run() {
  local deadline=$((SECONDS + RUN_TIMEOUT)) state ti ti_state try
  while :; do
    state=$(api GET "/api/v2/dags/$DAG_ID/dagRuns/$RUN_ID" | json 'd["state"]')
    ti=$(api GET "/api/v2/dags/$DAG_ID/dagRuns/$RUN_ID/taskInstances/$TASK_ID")
    ti_state=$(json 'd["state"]' <<<"$ti")
    try=$(json 'd["try_number"]' <<<"$ti")
    case $state in
      success) say "run $RUN_ID succeeded"; return 0 ;;
      failed)
        show_task_log "$try"
        die "run $RUN_ID failed; task log: $(task_log_file "$try")" ;;
    esac
    # A failed attempt is retried after minutes; show why now instead of waiting for it.
    if [ "$ti_state" = up_for_retry ]; then
      show_task_log "$try"
      die "task $TASK_ID failed (attempt $try; Airflow retries it later, see the UI);" \
          "task log: $(task_log_file "$try")"
    fi
    if [ $SECONDS -ge $deadline ]; then
      show_log "$(logfile scheduler)" 20
      die "run $RUN_ID still '$state' (task: '${ti_state:-none}') after ${RUN_TIMEOUT}s;" \
          "see $BASE_URL/dags/$DAG_ID"
    fi
    sleep 2
  done
}

print_run_summary() {  # the task's return value: what this run listed, skipped and processed
  local summary
  summary=$(api GET "/api/v2/dags/$DAG_ID/dagRuns/$RUN_ID/taskInstances/$TASK_ID/xcomEntries/return_value" |
    json '{k: v for k, v in d["value"].items() if k not in ("new_doc_ids", "new_doc_ids_truncated")}') || return 0
  echo
  echo "Run $RUN_ID of $DAG_ID: $summary"
}

print_report() {
  "$PY" "$REPO/scripts/demo_report.py" --dsn "$(demo_dsn)" --store "$STORE" --source "$SOURCE" \
    --raw-bucket "$RAW_BUCKET" --quarantine-bucket "$QUARANTINE_BUCKET" ${RUN_ID:+--run-id "$RUN_ID"}
}

print_access() {
  local pw
  pw=$(json 'd["admin"]' <"$DEMO_HOME/simple_auth_manager_passwords.json.generated" 2>/dev/null || echo '?')
  cat <<EOF

== Airflow ==========================================================================================
UI              $BASE_URL/dags/$DAG_ID   (login: admin / $pw)
upload folder   $UPLOADS   (drop files here, then trigger $DAG_ID in the UI)
sources file    $SOURCES_FILE
documents DB    $(demo_dsn)   (tables documents, document_events)
CLI settings    source $ENV_FILE
logs            $RUN_DIR/*.log, task logs under $DEMO_HOME/logs
stop            make demo-stop   (Airflow only; 'make stop' also stops clamd, S3 and Postgres)
EOF
}

# --- commands ------------------------------------------------------------------------------------
cmd_start() {
  local t0
  t0=$(now_ms)
  command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
  check_port
  load_services_env
  write_env_file
  write_sources_file
  timed "demo database" ensure_demo_db
  timed "airflow db migrate" migrate_once
  timed "start Airflow" start_airflow
  timed "drop sample corpus" drop_corpus
  login
  timed "wait for DAG parse" wait_for_dag
  trigger_run
  timed "ingest run" wait_for_run
  print_run_summary
  print_report
  print_access
  echo
  printf '%s\n' "${TIMINGS[@]}"
  printf '%-28s %8s\n' "make demo total (demo.sh)" "$(since "$t0")"
}

cmd_status() {  # exits 3 if a component is not running (not an error worth the ERR trap)
  local name pid rc=0
  trap - ERR
  for name in "${COMPONENTS[@]}"; do
    if pid=$(component_pid "$name"); then echo "$name running pid=$pid"; else echo "$name stopped"; rc=3; fi
  done
  echo "health: $(health || echo "no answer on $BASE_URL")"
  return "$rc"
}

cmd_report() {
  load_services_env
  print_report
  print_access
}

case ${1:-} in
  start)  cmd_start ;;
  stop)   stop_airflow ;;
  status) cmd_status ;;
  report) cmd_report ;;
  *) echo "usage: $0 start|stop|status|report" >&2; exit 2 ;;
esac
