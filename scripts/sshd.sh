#!/usr/bin/env bash
# An OpenSSH sshd on loopback serving chrooted SFTP, for the SFTP source's tests, benchmark and demo.
#
# Usage: scripts/sshd.sh start|stop|restart|status|env|destroy
#   eval "$(scripts/sshd.sh env)"   # exports KMRL_SFTP_* (host, port, user, password, key, host key,
#                                   #   local folder behind the chroot, its path as the server shows it)
#   status  exits 3 when sshd is not running or an SFTP login fails
#   destroy stops sshd, removes the system user and the state folder (files included)
#
# Everything lives in ${KMRL_STATE_DIR:-<repo>/.state}/sshd: sshd_config (written on every start; it
# does not include /etc/ssh), the host key, a client key pair, authorized_keys/<user>, the password
# file and the chroot. The SFTP user sees only <chroot>/files, as /files.
#
# Settings (env, defaults):
#   KMRL_SSHD_PORT=2222   KMRL_SFTP_USER=kmrl-sftp   KMRL_SFTP_PASSWORD=(generated once, kept in the
#   state folder)   KMRL_SSHD_CHROOT=<state>/sshd/chroot   KMRL_SSHD_START_TIMEOUT=20   KMRL_VENV
#
# What sshd insists on (SERVICES.md section 4), handled here: root; an absolute path to sshd (it
# re-executes itself); the privilege-separation directory /run/sshd; a real system user with a
# password in /etc/shadow (UsePAM no); and a chroot whose every path component is owned by root and
# not writable by group or others -- so never below /tmp. A bad chroot only shows after login (the
# connection is reset), so `start` checks the path first and then proves an SFTP login works.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$(realpath -m "${KMRL_STATE_DIR:-$REPO/.state}")
LOGS=$STATE/logs
VENV=${KMRL_VENV:-$REPO/.venv}
DIR=$STATE/sshd
CONF=$DIR/sshd_config
PIDFILE=$DIR/sshd.pid
HOST_KEY=$DIR/ssh_host_ed25519_key
CLIENT_KEY=$DIR/client_ed25519_key
AUTH_KEYS_DIR=$DIR/authorized_keys
PASSWORD_FILE=$DIR/password
LOG=$LOGS/sshd.log

HOST=127.0.0.1
PORT=${KMRL_SSHD_PORT:-2222}
SFTP_USER=${KMRL_SFTP_USER:-kmrl-sftp}
# sshd only accepts a chroot whose every parent is root-owned and not group/world-writable. A
# checkout below /tmp (or any such folder) cannot hold it, so the default then moves to /var/lib,
# in a folder named after this state directory so that several checkouts do not collide.
default_chroot() {
  local p
  p=$(realpath -m "$DIR")
  while [ "$p" != / ]; do
    if [ -e "$p" ] && { [ "$(stat -c %u "$p")" != 0 ] || [ $(( 0$(stat -c %a "$p") & 022 )) -ne 0 ]; }; then
      echo "/var/lib/kmrl-sftp-chroot/$(printf '%s' "$DIR" | md5sum | cut -c1-12)"
      return
    fi
    p=$(dirname "$p")
  done
  echo "$DIR/chroot"
}
CHROOT=$(realpath -m "${KMRL_SSHD_CHROOT:-$(default_chroot)}")
# StrictModes applies the same rule to authorized_keys: keep them beside a moved chroot.
case "$CHROOT" in "$(realpath -m "$DIR")"/*) ;; *) AUTH_KEYS_DIR=$CHROOT-keys ;; esac
FILES=$CHROOT/files
REMOTE_ROOT=/files
TIMEOUT=${KMRL_SSHD_START_TIMEOUT:-20}
SSHD=/usr/sbin/sshd

die() { echo "sshd.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

show_log() {
  [ -s "$LOG" ] || return 0
  echo "---- last lines of $LOG ----" >&2
  tail -n 25 "$LOG" >&2
}

pid_alive() {  # exists and is not a zombie
  local st
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

our_pid() {  # the pid in PIDFILE if alive and started with our config (a recycled pid is not ours)
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(head -n1 "$PIDFILE" | tr -dc 0-9)
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-f $CONF" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

banner() {  # the server's identification line, e.g. SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3
  local line
  line=$( (exec 3<>"/dev/tcp/$HOST/$PORT" && IFS= read -r -t 3 l <&3 && printf %s "$l") 2>/dev/null) || return 1
  [[ $line == SSH-2.0-* ]] && printf '%s\n' "${line%$'\r'}"
}

python_bin() { if [ -x "$VENV/bin/python" ]; then echo "$VENV/bin/python"; else echo python3; fi; }

# sftp_probe: log in with the client key (host key pinned) and list /files -- proves the user, the
# keys and the chroot work, which a banner alone does not.
sftp_probe() {
  "$(python_bin)" - "$HOST" "$PORT" "$SFTP_USER" "$CLIENT_KEY" "$HOST_KEY.pub" "$REMOTE_ROOT" <<'PY'
import sys
try:
    import paramiko
except ImportError:
    sys.exit(0)  # no client library to probe with; the banner check already passed
host, port, user, key, host_pub, root = sys.argv[1:]
kind, data = open(host_pub).read().split()[:2]
client = paramiko.SSHClient()
client.get_host_keys().add(f"[{host}]:{port}", kind, paramiko.Ed25519Key(data=__import__("base64").b64decode(data)))
try:
    client.connect(host, int(port), username=user, key_filename=key, allow_agent=False, look_for_keys=False,
                   timeout=5, banner_timeout=5, auth_timeout=5)
    client.open_sftp().listdir(root)
except Exception as err:
    print(f"sftp login as {user} failed: {type(err).__name__}: {err}", file=sys.stderr)
    sys.exit(1)
finally:
    client.close()
PY
}

check_chroot_path() {  # every component of the chroot root-owned and not group/other-writable
  local p=$CHROOT owner mode
  while :; do
    if [ -e "$p" ]; then
      owner=$(stat -c %u "$p"); mode=$(stat -c %a "$p")
      [ "$owner" = 0 ] || die "chroot: $p is not owned by root (sshd refuses such a chroot; set KMRL_SSHD_CHROOT or KMRL_STATE_DIR elsewhere)"
      (( (8#$mode & 8#022) == 0 )) ||
        die "chroot: $p is writable by group or others (mode $mode); sshd refuses it -- not below /tmp; set KMRL_SSHD_CHROOT or KMRL_STATE_DIR elsewhere"
    fi
    [ "$p" = / ] && break
    p=$(dirname "$p")
  done
}

ensure_user() {
  if ! id "$SFTP_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SFTP_USER" ||
      die "useradd $SFTP_USER failed"
  fi
  local password=${KMRL_SFTP_PASSWORD:-}
  if [ -z "$password" ]; then
    [ -s "$PASSWORD_FILE" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$PASSWORD_FILE")
    password=$(cat "$PASSWORD_FILE")
  else
    (umask 077; printf '%s' "$password" >"$PASSWORD_FILE")
  fi
  echo "$SFTP_USER:$password" | chpasswd || die "chpasswd for $SFTP_USER failed"
}

ensure_keys() {
  [ -s "$HOST_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "kmrl-sshd-host" -f "$HOST_KEY"
  [ -s "$CLIENT_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "kmrl-sftp-client" -f "$CLIENT_KEY"
  chmod 600 "$HOST_KEY" "$CLIENT_KEY"
  mkdir -p "$AUTH_KEYS_DIR"
  chmod 755 "$AUTH_KEYS_DIR"
  install -m 644 -o root -g root "$CLIENT_KEY.pub" "$AUTH_KEYS_DIR/$SFTP_USER"
}

ensure_chroot() {
  mkdir -p "$CHROOT"
  chown root:root "$CHROOT"
  chmod 755 "$CHROOT"
  check_chroot_path
  mkdir -p "$FILES"
  chown "$SFTP_USER:" "$FILES"
  chmod 755 "$FILES"
}

write_conf() {
  cat >"$CONF.tmp" <<EOF
# Generated by scripts/sshd.sh; rewritten on every start. Does not include /etc/ssh.
Port $PORT
ListenAddress $HOST
HostKey $HOST_KEY
PidFile $PIDFILE
AuthorizedKeysFile $AUTH_KEYS_DIR/%u
AllowUsers $SFTP_USER
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
UseDNS no
LogLevel INFO
# Room for connection pools and one-connection-per-task baselines.
MaxSessions 64
MaxStartups 64:30:128
Subsystem sftp internal-sftp -u 022
Match User $SFTP_USER
    ChrootDirectory $CHROOT
    ForceCommand internal-sftp -u 022 -d $REMOTE_ROOT
    PermitTTY no
    AllowTcpForwarding no
    AllowAgentForwarding no
    X11Forwarding no
EOF
  mv "$CONF.tmp" "$CONF"
}

do_start() {
  local pid t0 i ident
  [ "$(id -u)" -eq 0 ] || die "sshd needs root (privilege separation, chroot, a system user)"
  [ -x "$SSHD" ] || die "$SSHD not found (apt-get install --no-install-recommends openssh-server)"
  mkdir -p "$DIR" "$LOGS"
  [ -e "$STATE/.gitignore" ] || echo '*' >"$STATE/.gitignore"
  if pid=$(our_pid); then
    if banner >/dev/null && sftp_probe; then
      echo "sshd ready pid=$pid port=$PORT user=$SFTP_USER start_ms=0 (already running)"
      return 0
    fi
    die "sshd pid=$pid is running but SFTP on $HOST:$PORT does not work (see $LOG; try restart)"
  fi
  port_open "$PORT" && die "port $HOST:$PORT is already used by another process (set KMRL_SSHD_PORT)"
  mkdir -p /run/sshd && chmod 755 /run/sshd
  ensure_user
  ensure_keys
  ensure_chroot
  write_conf
  "$SSHD" -t -f "$CONF" >>"$LOG" 2>&1 || { show_log; die "sshd -t rejected $CONF"; }
  t0=$(now_ms)
  rm -f "$PIDFILE"
  # -D: no daemonising (we keep the pid); -e: log to stderr, i.e. our log file.
  setsid "$SSHD" -D -e -f "$CONF" </dev/null >>"$LOG" 2>&1 &
  for i in $(seq $((TIMEOUT * 20))); do
    if ident=$(banner); then
      pid=$(our_pid) || { sleep 0.05; continue; }
      sftp_probe || { show_log; do_stop >/dev/null; die "sshd answers but SFTP login fails (see above)"; }
      echo "sshd ready pid=$pid port=$PORT user=$SFTP_USER start_ms=$(($(now_ms) - t0)) ($ident)"
      return 0
    fi
    sleep 0.05
  done
  show_log
  do_stop >/dev/null || true
  die "sshd did not answer on $HOST:$PORT within ${TIMEOUT}s"
}

do_stop() {
  local pid i
  if pid=$(our_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do pid_alive "$pid" || break; sleep 0.05; done
    pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    echo "sshd stopped pid=$pid"
  else
    echo "sshd not running"
  fi
  rm -f "$PIDFILE"
}

do_status() {
  local pid
  if pid=$(our_pid) && banner >/dev/null && sftp_probe; then
    echo "sshd running pid=$pid port=$PORT user=$SFTP_USER chroot=$CHROOT"
  elif [ -n "${pid:-}" ]; then
    echo "sshd unhealthy pid=$pid (SFTP on $HOST:$PORT fails)"; return 3
  else
    echo "sshd stopped"; return 3
  fi
}

do_env() {
  [ -s "$PASSWORD_FILE" ] && [ -s "$HOST_KEY.pub" ] || die "not set up yet; run '$0 start' first"
  printf 'export KMRL_SFTP_HOST=%q\n' "$HOST"
  printf 'export KMRL_SFTP_PORT=%q\n' "$PORT"
  printf 'export KMRL_SFTP_USER=%q\n' "$SFTP_USER"
  printf 'export KMRL_SFTP_PASSWORD=%q\n' "$(cat "$PASSWORD_FILE")"
  printf 'export KMRL_SFTP_KEY_FILE=%q\n' "$CLIENT_KEY"
  printf 'export KMRL_SFTP_HOST_KEY=%q\n' "$(cut -d' ' -f1,2 "$HOST_KEY.pub")"
  printf 'export KMRL_SFTP_LOCAL_ROOT=%q\n' "$FILES"
  printf 'export KMRL_SFTP_REMOTE_ROOT=%q\n' "$REMOTE_ROOT"
}

do_destroy() {
  do_stop
  if id "$SFTP_USER" >/dev/null 2>&1; then userdel "$SFTP_USER" && echo "removed user $SFTP_USER"; fi
  rm -rf "$DIR"
  echo "removed $DIR"
}

case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status) do_status ;;
  env) do_env ;;
  destroy) do_destroy ;;
  *) echo "usage: $0 start|stop|restart|status|env|destroy" >&2; exit 2 ;;
esac
