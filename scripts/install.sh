#!/usr/bin/env bash
# Install everything the tests, the demo and CI need: Debian packages (without starting their
# daemons), a virtualenv with Airflow and this provider. Idempotent; safe to run on every `make`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${KMRL_VENV:-.venv}
AIRFLOW_VERSION=${AIRFLOW_VERSION:-3.3.2}

need_apt=()
command -v clamd >/dev/null || need_apt+=(clamav-daemon)
command -v dovecot >/dev/null || need_apt+=(dovecot-imapd)       # IMAP tests
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)               # SFTP tests
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-mal)  # OCR (optional feature)
[ -e /usr/lib/x86_64-linux-gnu/libmagic.so.1 ] || ldconfig -p | grep -q libmagic.so.1 || need_apt+=(libmagic1)
if [ ${#need_apt[@]} -gt 0 ]; then
  # Package postinst scripts must not start daemons listening on every interface.
  if [ ! -x /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
[ -x "$VENV/bin/uv" ] || "$VENV/bin/pip" install -q uv
export UV_CACHE_DIR=${UV_CACHE_DIR:-$HOME/.cache/uv}
stamp="$VENV/.kmrl-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" -c constraints.txt \
      "apache-airflow==$AIRFLOW_VERSION" -e ".[dev,imap,sftp]"
  touch "$stamp"
fi
echo "install: ok (apache-airflow $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-airflow"))'))"
