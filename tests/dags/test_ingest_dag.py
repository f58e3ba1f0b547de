"""The generated ingest DAG, run by Airflow: the CLI (`airflow dags test`) and `dag.test()`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import corpus
from tests.helpers import assert_corpus_statuses, by_path, rows

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")


def _airflow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([AIRFLOW, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=600)


def test_airflow_dags_test_ingests_corpus_once(airflow_sources, minio_store):
    src = airflow_sources
    expected = corpus.write(str(src["uploads"]))
    dag_id = f"kmrl_ingest__{src['name']}"

    first = _airflow("dags", "test", dag_id, env=src["env"])
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    found = by_path(rows(src["pg_dsn"], src["name"]))
    assert_corpus_statuses(found, expected)
    objects = {b: sorted(o.key for o in minio_store.list_objects(b)) for b in (src["raw"], src["quarantine"])}

    second = _airflow("dags", "test", dag_id, env=src["env"])
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(rows(src["pg_dsn"], src["name"])) == len(expected)
    assert {b: sorted(o.key for o in minio_store.list_objects(b)) for b in objects} == objects

    variable = _airflow("variables", "get", f"kmrl_checkpoint__{src['name']}", env=src["env"])
    assert json.loads(variable.stdout.strip().splitlines()[-1])["path"] == list(expected)[-1]


def test_dag_test_returns_summary_and_announces_new_documents(airflow_sources):
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    from airflow_provider_kmrl.dags import build_dags

    src = airflow_sources
    (src["uploads"] / "circular.txt").write_text(corpus.CIRCULAR_EN)
    dag = build_dags(src["file"])[f"kmrl_ingest__{src['name']}"]

    run = dag.test()
    assert run.state == "success"
    summary = run.get_task_instance("ingest").xcom_pull(task_ids="ingest")
    assert summary["by_status"] == {"success": 1} and len(summary["new_doc_ids"]) == 1
    with create_session() as session:
        events = (
            session.query(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.name == "kmrl_ready_for_extraction").all()
        )
        mine = [e.extra for e in events if e.extra.get("source") == src["name"]]
    assert mine == [{"source": src["name"], "doc_ids": summary["new_doc_ids"], "truncated": False}]

    rerun = dag.test()
    assert rerun.state == "success"
    with create_session() as session:
        count = (
            session.query(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.name == "kmrl_ready_for_extraction").all()
        )
        assert len([e for e in count if e.extra.get("source") == src["name"]]) == 1, "a no-op run announces nothing"


def test_providers_list_shows_the_provider():
    out = _airflow("providers", "list", env={})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "airflow-provider-kmrl" in out.stdout
