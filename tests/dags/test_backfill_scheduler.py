"""`airflow backfill create` on a real scheduler (LocalExecutor, Postgres metadata database)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import datetime, timezone

import psycopg2
import pytest

from tests.helpers import REPO, _free_port, rows

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")
COMPONENTS = {"api-server": ["api-server", "--host", "127.0.0.1", "--port"], "scheduler": ["scheduler", "--skip-serve-logs"],
              "dag-processor": ["dag-processor"]}


@pytest.fixture()
def airflow_stack(airflow_sources, tmp_path, services):
    """api-server, scheduler and dag-processor of their own, sharing the test's sources and connections."""
    admin = services["KMRL_PG_DSN"]
    meta_db = f"airflow_meta_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE DATABASE {meta_db}")
    port = _free_port()
    dags = tmp_path / "dags"
    dags.mkdir()
    shutil.copy(os.path.join(REPO, "dags", "kmrl_pipelines.py"), dags)
    env = {
        **os.environ, **airflow_sources["env"],
        "AIRFLOW_HOME": str(tmp_path / "airflow-home"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": admin.replace("postgresql://", "postgresql+psycopg2://", 1).rsplit("/", 1)[0]
        + f"/{meta_db}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
    }
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    procs = []
    for name, args in COMPONENTS.items():
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (the process writes to it until killed)
        cmd = [AIRFLOW, *args, *([str(port)] if name == "api-server" else [])]
        procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        _wait_healthy(port, tmp_path)
        yield {"env": env, "port": port, "logs": tmp_path}
    finally:
        for proc in procs:
            _stop_group(proc)
        conn.cursor().execute(f"DROP DATABASE IF EXISTS {meta_db} WITH (FORCE)")
        conn.close()


def _wait_healthy(port: int, logs, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=2) as resp:
                health = json.load(resp)
            if all(health.get(k, {}).get("status") == "healthy" for k in ("metadatabase", "scheduler", "dag_processor")):
                return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail("Airflow did not become healthy: " + _tail(logs))


def _tail(logs) -> str:
    return "\n".join(f"--- {p.name}\n" + p.read_text(errors="replace")[-1500:] for p in logs.glob("*.log"))


def _stop_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # LocalExecutor workers left in the group
    except ProcessLookupError:
        pass


def _cli(stack, *args, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([AIRFLOW, *args], env=stack["env"], capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def test_backfill_create_over_three_days_lands_exactly_that_window(airflow_sources, airflow_stack):
    src = airflow_sources
    for day in (datetime(2026, 2, 28), *(datetime(2026, 3, d) for d in (1, 2, 3, 4))):
        path = src["uploads"] / f"daily-report-{day:%Y-%m-%d}.txt"
        path.write_text(f"Daily operations report {day:%d %B %Y}\n")
        ts = day.replace(hour=10, tzinfo=timezone.utc).timestamp()
        os.utime(path, (ts, ts))
    dag_id = f"kmrl_backfill__{src['name']}"
    subprocess.run([sys.executable, "-m", "airflow_provider_kmrl.pools", src["file"]], env=airflow_stack["env"],
                   check=True, capture_output=True, timeout=120)
    deadline = time.monotonic() + 120
    while _cli(airflow_stack, "dags", "unpause", dag_id, check=False).returncode != 0:
        assert time.monotonic() < deadline, "the dag-processor never parsed the DAG: " + _tail(airflow_stack["logs"])
        time.sleep(2)

    _cli(airflow_stack, "backfill", "create", "--dag-id", dag_id, "--from-date", "2026-03-01",
         "--to-date", "2026-03-03", "--max-active-runs", "1")

    deadline = time.monotonic() + 300
    while True:
        out = _cli(airflow_stack, "dags", "list-runs", dag_id, "-o", "json").stdout
        tables = [line for line in out.splitlines() if line.startswith("[{")]  # other lines are log noise
        # Unpausing also lets the scheduler start the latest regular interval; only backfill runs count.
        runs = [r for r in (json.loads(tables[-1]) if tables else []) if r["run_id"].startswith("backfill__")]
        states = sorted(r["state"] for r in runs)
        if len(runs) == 3 and states == ["success"] * 3:
            break
        assert "failed" not in states, f"{runs}\n{_tail(airflow_stack['logs'])}"
        assert time.monotonic() < deadline, f"backfill did not finish: {runs}"
        time.sleep(2)
    landed = sorted(r["file_name"] for r in rows(src["pg_dsn"], src["name"]))
    assert sorted(r["logical_date"][:10] for r in runs) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert landed == ["daily-report-2026-03-01.txt", "daily-report-2026-03-02.txt", "daily-report-2026-03-03.txt"]
    assert {r["status"] for r in rows(src["pg_dsn"], src["name"])} == {"success"}
