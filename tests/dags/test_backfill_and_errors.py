"""The backfill DAG's window, and how a broken sources file shows up in Airflow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone

from tests.helpers import rows

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")


def test_backfill_dag_ingests_exactly_its_interval(airflow_sources):
    from airflow_provider_kmrl.dags import build_dags

    src = airflow_sources
    for day in (1, 2, 3):
        path = src["uploads"] / f"report-2026-03-0{day}.txt"
        path.write_text(f"Operations report for March {day}\n")
        ts = datetime(2026, 3, day, 9, tzinfo=timezone.utc).timestamp()
        os.utime(path, (ts, ts))
    dag = build_dags(src["file"])[f"kmrl_backfill__{src['name']}"]

    # dag.test(logical_date=D) runs the manual interval [D-1 day, D): here [2026-03-02, 2026-03-03).
    run = dag.test(logical_date=datetime(2026, 3, 3, tzinfo=timezone.utc))
    assert run.state == "success"
    assert [r["file_name"] for r in rows(src["pg_dsn"], src["name"])] == ["report-2026-03-02.txt"]
    out = subprocess.run([AIRFLOW, "variables", "get", f"kmrl_checkpoint__{src['name']}"],
                         env={**os.environ, **src["env"]}, capture_output=True, text=True)
    assert out.returncode != 0, "a backfill must not create or move the incremental checkpoint"


def test_invalid_sources_file_is_an_import_error_naming_source_and_field(tmp_path):
    bad = tmp_path / "kmrl_sources.yaml"
    bad.write_text("sources:\n  - name: scans\n    kind: upload\n    options: {path: /x, after_ingest: shred}\n")
    env = {**os.environ, "KMRL_SOURCES_FILE": str(bad)}
    out = subprocess.run(
        [sys.executable, "-c", "import runpy; runpy.run_path('dags/kmrl_pipelines.py')"],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        env=env, capture_output=True, text=True,
    )
    assert out.returncode != 0
    assert "SourcesFileError" in out.stderr
    assert "source 'scans' (sources[0]), kind upload: options.after_ingest" in out.stderr
    json.dumps(out.stderr)  # the message is plain text Airflow can show as an import error
