"""DAG file parse time for a sources file with 50 sources (100 DAGs), through Airflow's own DagBag.

Each measurement is a fresh process with Airflow and its authoring API imported before the clock
starts, as in the DAG processor's parsing process; ``first parse`` includes importing the provider
(Airflow pre-imports only ``airflow.*`` modules of a DAG file), ``warm`` re-parses the file with
the provider already imported. An untimed parse first fills the bytecode caches (``__pycache__``), as
a deployment has them.
Baseline: a hand-written DAG file that builds the same 100 DAGs with the operator directly, no
YAML and no validation. Goal: the first parse under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics

import yaml

from benchmarks.bench_upload import work_dir
from benchmarks.common import REPO, BenchError, Case, Goal, Run, print_case, run_child, write_results

SOURCES = 50
CHILDREN = 5  # fresh processes per file; the median steadies a shared VM's noise

_HAND_WRITTEN_HEAD = '''"""The same DAGs as the sources file, written out by hand (the parse-time baseline)."""
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

from airflow_provider_kmrl.operators.ingest import IngestDocumentsOperator

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
'''

_HAND_WRITTEN_SOURCE = '''
with DAG(dag_id="kmrl_ingest__{name}", schedule="{schedule}", start_date=START, catchup=False, max_active_runs=1,
         default_args={{"retries": 2, "retry_delay": timedelta(minutes=1)}}) as dag_{i}_ingest:
    IngestDocumentsOperator(task_id="ingest", source_name="{name}", source_kind="upload",
                            source_options={{"path": "{path}", "after_ingest": "keep"}})
with DAG(dag_id="kmrl_backfill__{name}", schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
         start_date=START, catchup=False, max_active_runs=1) as dag_{i}_backfill:
    IngestDocumentsOperator(task_id="ingest_window", source_name="{name}", source_kind="upload",
                            source_options={{"path": "{path}", "after_ingest": "keep"}},
                            window_start="{{{{ data_interval_start }}}}", window_end="{{{{ data_interval_end }}}}")
'''


def write_sources(folder: str, count: int) -> str:
    """A sources file with ``count`` upload sources (all options a user would set)."""
    sources = [
        {"name": f"uploads_{i:02d}", "kind": "upload", "schedule": f"{i % 60} * * * *",
         "options": {"path": os.path.join(folder, f"in-{i:02d}"), "after_ingest": "move",
                     "processed_path": os.path.join(folder, f"done-{i:02d}")}}
        for i in range(count)
    ]
    path = os.path.join(folder, "kmrl_sources.yaml")
    with open(path, "w") as fh:
        yaml.safe_dump({"defaults": {"raw_bucket": "kmrl-raw", "max_file_size": "512MiB"}, "sources": sources}, fh)
    return path


def write_hand_written(folder: str, count: int) -> str:
    path = os.path.join(folder, "hand_written_dags.py")
    with open(path, "w") as fh:
        fh.write(_HAND_WRITTEN_HEAD)
        for i in range(count):
            fh.write(_HAND_WRITTEN_SOURCE.format(i=i, name=f"uploads_{i:02d}", schedule=f"{i % 60} * * * *",
                                                 path=os.path.join(folder, f"in-{i:02d}")))
    return path


def _parse(dag_file: str, env: dict[str, str], expect: int) -> tuple[float, list[float], int, int]:
    out = run_child(["benchmarks.worker", "parse", "--dag-file", dag_file, "--repeats", "5"], env=env)
    if out["import_errors"] or out["dags"] < expect:  # ours adds the audit, reprocess and lineage DAGs
        raise BenchError(f"{os.path.basename(dag_file)}: {out['dags']} DAGs, errors {out['import_errors']}")
    return out["seconds"], out["warm_seconds"], out["peak_rss_bytes"], out["dags"]


def parse_case(count: int) -> Case:
    case = Case("parse", f"DAG file parse, sources file with {count} sources ({2 * count} DAGs)")
    scratch = work_dir()
    try:
        sources = write_sources(scratch, count)
        ours = os.path.join(scratch, "kmrl_pipelines.py")
        shutil.copy(os.path.join(REPO, "dags", "kmrl_pipelines.py"), ours)
        theirs = write_hand_written(scratch, count)
        env = {"KMRL_SOURCES_FILE": sources, "AIRFLOW_HOME": os.path.join(scratch, "airflow"),
               "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__CORE__DAGS_FOLDER": scratch}
        for label, dag_file in (("sources file (ours)", ours), ("hand-written DAGs", theirs)):
            _parse(dag_file, env, 2 * count)  # untimed: leaves the bytecode caches a deployment has
            firsts, warms, rss, dags = [], [], 0, 0
            for _ in range(CHILDREN):
                first, warm, rss, dags = _parse(dag_file, env, 2 * count)
                firsts.append(first)
                warms += warm
            case.runs.append(Run(f"{label}, first parse", dags, 0, statistics.median(firsts), rss,
                                 {"all_seconds": [round(x, 3) for x in firsts]}))
            case.runs.append(Run(f"{label}, warm", dags, 0, statistics.median(warms), rss,
                                 {"all_seconds": [round(x, 3) for x in warms]}))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    first = case.run("sources file (ours), first parse").seconds
    case.goals.append(Goal(f"first parse of the DAG file (median of {CHILDREN} processes)", first, 0.5, " s",
                           higher_is_better=False))
    ratio = first / case.run("hand-written DAGs, first parse").seconds
    case.notes.append(f"ours / hand-written: {ratio:.2f}x the time (first parse); "
                      f"{case.run('sources file (ours), warm').seconds / case.run('hand-written DAGs, warm').seconds:.2f}x warm")
    return case


def main(argv: list[str] | None = None) -> list[Case]:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_parse")
    p.add_argument("--sources", type=int, default=SOURCES)
    args = p.parse_args(argv or [])
    case = parse_case(args.sources)
    print_case(case)
    write_results("parse", [case])
    return [case]


if __name__ == "__main__":
    import sys

    from benchmarks.common import stop_on_sigterm

    stop_on_sigterm()
    main(sys.argv[1:])
