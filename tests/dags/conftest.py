"""Fixtures for running the generated DAGs through Airflow itself (dag.test() and the CLI)."""

from __future__ import annotations

import json
import uuid

import pytest
import yaml


@pytest.fixture()
def airflow_sources(tmp_path, services, pg_dsn, buckets, monkeypatch):
    """A sources file with one upload source, and the connections it needs, as env variables."""
    name = f"uploads_{uuid.uuid4().hex[:8]}"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    raw, quarantine = buckets
    sources = {
        "defaults": {"raw_bucket": raw, "quarantine_bucket": quarantine, "batch_size": 8, "concurrency": 3},
        "sources": [{"name": name, "kind": "upload", "schedule": None, "options": {"path": str(uploads)}}],
    }
    sources_file = tmp_path / "kmrl_sources.yaml"
    sources_file.write_text(yaml.safe_dump(sources))
    env = {
        "KMRL_SOURCES_FILE": str(sources_file),
        "AIRFLOW_CONN_KMRL_POSTGRES": pg_dsn.replace("postgresql://", "postgres://", 1),
        "AIRFLOW_CONN_KMRL_CLAMAV": json.dumps(
            {"conn_type": "kmrl_clamav", "host": services["KMRL_CLAMD_HOST"], "port": int(services["KMRL_CLAMD_PORT"])}
        ),
        "AIRFLOW_CONN_KMRL_STORE": json.dumps(
            {"conn_type": "kmrl_minio", "host": services["KMRL_S3_ENDPOINT"], "login": services["KMRL_S3_ACCESS_KEY"],
             "password": services["KMRL_S3_SECRET_KEY"]}
        ),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {"name": name, "uploads": uploads, "file": str(sources_file), "env": env, "pg_dsn": pg_dsn,
            "raw": raw, "quarantine": quarantine}
