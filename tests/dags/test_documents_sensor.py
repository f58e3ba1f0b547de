"""DocumentsSensor waits for matching documents: poking, and deferred to its trigger."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import datetime, timezone

import psycopg2
import pytest

pytestmark = pytest.mark.airflow


def _insert(dsn: str, source: str, n: int, department: str = "finance", status: str = "success") -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(n)]
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        for doc_id in ids:
            cur.execute(
                "INSERT INTO documents (id, source_system, source_id, file_name, status, scan_status, department)"
                " VALUES (%s, %s, %s, 'x.pdf', %s, 'clean', %s)", (doc_id, source, doc_id, status, department))
    return ids


def _later(delay: float, fn, *args) -> threading.Thread:
    def run():
        time.sleep(delay)
        fn(*args)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_trigger_fires_when_enough_documents_arrive(airflow_sources, catalog):
    from airflow_provider_kmrl.triggers.documents import DocumentCriteria, DocumentsTrigger, criteria_dict

    src = airflow_sources
    _insert(catalog.dsn, "other", 3)  # not ours
    criteria = DocumentCriteria.build(source=src["name"], department="finance",
                                      since=datetime(2020, 1, 1, tzinfo=timezone.utc))
    trigger = DocumentsTrigger("kmrl_postgres", criteria_dict(criteria), min_count=2, poll_interval=0.2)
    classpath, kwargs = trigger.serialize()
    assert classpath == "airflow_provider_kmrl.triggers.documents.DocumentsTrigger"
    rebuilt = DocumentsTrigger(**kwargs)  # what the triggerer does
    _insert(catalog.dsn, src["name"], 1, department="hr")  # wrong department
    writer = _later(1.0, _insert, catalog.dsn, src["name"], 2)

    async def first_event():
        return await asyncio.wait_for(rebuilt.run().__anext__(), timeout=30)

    started = time.monotonic()
    event = asyncio.run(first_event())
    writer.join()
    assert time.monotonic() - started >= 0.9, "it waited for the documents"
    assert event.payload["status"] == "success" and len(event.payload["doc_ids"]) == 2


def test_the_example_dag_defers_and_wakes_with_the_new_documents(airflow_sources, catalog):
    from airflow.dag_processing.dagbag import DagBag

    src = airflow_sources
    dag = DagBag("dags/kmrl_example_sensor.py").get_dag("kmrl_example_sensor")
    expected: set[str] = set()
    writer = _later(3.0, lambda: expected.update(_insert(catalog.dsn, src["name"], 2)))

    run = dag.test(run_conf={"source": src["name"], "department": "finance", "min_count": 2,
                             "since": "2020-01-01T00:00:00+00:00"})
    writer.join()
    assert run.state == "success"
    ids = run.get_task_instance("wait_for_documents").xcom_pull(task_ids="wait_for_documents")
    assert set(ids) == expected, "documents recorded after the sensor started: it waited for them"
    assert run.get_task_instance("use").xcom_pull(task_ids="use") == 2


def test_an_unknown_department_fails_when_the_dag_is_parsed():
    from airflow_provider_kmrl.sensors.documents import DocumentsSensor

    with pytest.raises(ValueError, match="department sales is not one of"):
        DocumentsSensor(task_id="wait", department="sales")
