#!/usr/bin/env bash
# Prepare the private AIRFLOW_HOME the tests use (SQLite metadata database, migrated once).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${KMRL_STATE_DIR:-$PWD/.state}
export AIRFLOW_HOME=${AIRFLOW_HOME:-$STATE/airflow-test}
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_FOLDER=$PWD/dags
mkdir -p "$AIRFLOW_HOME"
stamp="$AIRFLOW_HOME/.migrated-$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("apache-airflow"))')"
if [ ! -f "$stamp" ]; then
  .venv/bin/airflow db migrate >"$AIRFLOW_HOME/migrate.log" 2>&1 || { tail -20 "$AIRFLOW_HOME/migrate.log"; exit 1; }
  touch "$stamp"
fi
echo "airflow test home ready: $AIRFLOW_HOME"
