"""``airflow dags test`` of the generated SFTP and Maximo ingest DAGs, end to end, and their reruns.

The SFTP source reads from the real sshd started by ``scripts/sshd.sh``; the Maximo source from a
local server speaking the OSLC JSON shapes, running in this test process while the ``airflow``
CLI (a separate process) talks to it over HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from tests import corpus
from tests.helpers import rows
from tests.integration.maximo.conftest import maximo, maximo_connection  # noqa: F401 (fixture)
from tests.integration.sftp.conftest import sftp_connection, sftp_folder, sshd  # noqa: F401 (fixtures)

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")
IST = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture()
def buckets(minio_client):
    """Unique buckets, removed afterwards (the S3 server's volumes are a shared, finite pool)."""
    from tests.integration.sftp.s3cleanup import temporary_buckets

    with temporary_buckets(minio_client) as names:
        yield names


@pytest.fixture()
def sources(tmp_path, services, pg_dsn, buckets, sshd, sftp_folder, maximo, monkeypatch):  # noqa: F811
    tag = uuid.uuid4().hex[:8]
    sftp_name, maximo_name = f"exports_{tag}", f"maximo_{tag}"
    raw, quarantine = buckets
    config = {
        "defaults": {"raw_bucket": raw, "quarantine_bucket": quarantine, "batch_size": 4, "concurrency": 2},
        "sources": [
            {"name": sftp_name, "kind": "sftp", "conn_id": "kmrl_sftp_exports", "schedule": None,
             "options": {"path": sftp_folder.remote, "exclude": ["*.part"], "after_ingest": "move",
                         "processed_path": f"{sftp_folder.remote}/.done"}},
            {"name": maximo_name, "kind": "maximo", "conn_id": "kmrl_maximo_test", "schedule": "@hourly",
             "options": {"site": "MUTTOM", "page_size": 2}},
        ],
    }
    sources_file = tmp_path / "kmrl_sources.yaml"
    sources_file.write_text(yaml.safe_dump(config, allow_unicode=True))
    env = {
        "KMRL_SOURCES_FILE": str(sources_file),
        "AIRFLOW_CONN_KMRL_POSTGRES": pg_dsn.replace("postgresql://", "postgres://", 1),
        "AIRFLOW_CONN_KMRL_CLAMAV": json.dumps({"conn_type": "kmrl_clamav",
                                                "host": services["KMRL_CLAMD_HOST"],
                                                "port": int(services["KMRL_CLAMD_PORT"])}),
        "AIRFLOW_CONN_KMRL_STORE": json.dumps({"conn_type": "kmrl_minio",
                                               "host": services["KMRL_S3_ENDPOINT"],
                                               "login": services["KMRL_S3_ACCESS_KEY"],
                                               "password": services["KMRL_S3_SECRET_KEY"]}),
        "AIRFLOW_CONN_KMRL_SFTP_EXPORTS": sftp_connection(sshd),
        "AIRFLOW_CONN_KMRL_MAXIMO_TEST": maximo_connection(maximo),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {"sftp": sftp_name, "maximo": maximo_name, "env": env, "pg_dsn": pg_dsn, "folder": sftp_folder,
            "fake": maximo}


def _dags_test(dag_id: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([AIRFLOW, "dags", "test", dag_id], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _checkpoint(name: str, env: dict[str, str]) -> dict:
    out = subprocess.run([AIRFLOW, "variables", "get", f"kmrl_checkpoint__{name}"], env={**os.environ, **env},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _objects(minio_client, buckets):
    return {b: sorted(o.object_name for o in minio_client.list_objects(b, recursive=True))
            for b in buckets if minio_client.bucket_exists(b)}


def test_sftp_ingest_dag_end_to_end_and_rerun_adds_nothing(sources, minio_client, buckets):
    folder, old = sources["folder"], time.time() - 7 * 86400
    files = {
        "WO-1001/pump inspection.pdf": corpus.minimal_pdf("Pump inspection"),
        "WO-1001/സുരക്ഷാ നിർദ്ദേശം.txt": corpus.CIRCULAR_ML.encode(),
        "WO-1002/track drawing.docx": corpus.minimal_docx(["Track drawing"]),
        "eicar.txt": corpus.EICAR,
    }
    for i, (rel, data) in enumerate(files.items()):
        folder.put(rel, data, mtime=old + i)
    folder.put("WO-1002/upload.part", b"incomplete", mtime=old)
    dag_id = f"kmrl_ingest__{sources['sftp']}"

    _dags_test(dag_id, sources["env"])
    found = {r["source_metadata"]["path"]: r for r in rows(sources["pg_dsn"], sources["sftp"])}
    assert sorted(found) == sorted(files)
    assert found["eicar.txt"]["status"] == "quarantined"
    assert {found[p]["status"] for p in files if p != "eicar.txt"} == {"success"}
    assert folder.files() == sorted([f".done/{p}" for p in files] + ["WO-1002/upload.part"]), \
        "ingested files moved to the processed folder after commit; the excluded one stays"
    objects = _objects(minio_client, buckets)
    assert _checkpoint(sources["sftp"], sources["env"])["version"] == 1

    _dags_test(dag_id, sources["env"])
    assert len(rows(sources["pg_dsn"], sources["sftp"])) == len(files)
    assert _objects(minio_client, buckets) == objects


def test_maximo_ingest_dag_end_to_end_and_rerun_adds_nothing(sources, minio_client, buckets):
    fake = sources["fake"]
    jan = datetime(2026, 1, 5, 9, tzinfo=IST)
    pump = fake.add_work_order("WO-2001", jan, worktype="CM", assetnum="PUMP-07", location="MUTTOM-DEPOT",
                               description="Replace pump seal")
    bogie = fake.add_work_order("WO-2002", jan + timedelta(hours=3), worktype="PM", description="Bogie check")
    fake.add_work_order("WO-2003", jan + timedelta(hours=5), description="No attachments")
    fake.attach(pump, "seal report.pdf", corpus.minimal_pdf("Seal report"), created=jan,
                mime_type="application/pdf")
    fake.attach(pump, "ടെസ്റ്റ് റിപ്പോർട്ട്.txt", corpus.CIRCULAR_ML.encode(), created=jan)
    fake.attach(bogie, "bogie.docx", corpus.minimal_docx(["Bogie inspection"]),
                created=jan + timedelta(hours=3))
    dag_id = f"kmrl_ingest__{sources['maximo']}"

    _dags_test(dag_id, sources["env"])
    found = rows(sources["pg_dsn"], sources["maximo"])
    names = ["seal report.pdf", "ടെസ്റ്റ് റിപ്പോർട്ട്.txt", "bogie.docx"]
    assert sorted(r["file_name"] for r in found) == sorted(names)
    assert {r["status"] for r in found} == {"success"}
    assert {r["source_metadata"]["wonum"] for r in found} == {"WO-2001", "WO-2002"}
    checkpoint = _checkpoint(sources["maximo"], sources["env"])
    assert checkpoint["changedate"] == (jan + timedelta(hours=5)).isoformat() and checkpoint["attached_since"]
    objects = _objects(minio_client, buckets)
    downloads = len([r for r in fake.requests if "/doclinks/" in r["path"]])

    _dags_test(dag_id, sources["env"])
    assert len(rows(sources["pg_dsn"], sources["maximo"])) == 3
    assert _objects(minio_client, buckets) == objects
    again = len([r for r in fake.requests if "/doclinks/" in r["path"]])
    assert again == downloads, "nothing downloaded again"
