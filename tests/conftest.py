"""Shared fixtures: real services started by ``scripts/services.sh``, fresh databases and stores.

Airflow's own settings are fixed here, before anything imports Airflow: a private AIRFLOW_HOME
(SQLite metadata, migrated by ``make test``), no example DAGs, and this repo's ``dags/`` folder.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import uuid
from collections.abc import Iterator

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATE = os.environ.get("KMRL_STATE_DIR", os.path.join(REPO, ".state"))
os.environ.setdefault("AIRFLOW_HOME", os.path.join(STATE, "airflow-test"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", os.path.join(REPO, "dags"))
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
os.environ.setdefault("AIRFLOW__CORE__TEST_CONNECTION", "Enabled")


def _service_env() -> dict[str, str]:
    """Start (idempotently) the project's services and read their addresses."""
    script = os.path.join(REPO, "scripts", "services.sh")
    subprocess.run([script, "start"], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([script, "env"], check=True, capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = shlex.split(value)[0] if value else ""
    return env


@pytest.fixture(scope="session")
def services() -> dict[str, str]:
    env = _service_env()
    os.environ.update(env)
    return env


@pytest.fixture()
def pg_dsn(services) -> Iterator[str]:
    """A new, empty Postgres database per test, dropped afterwards."""
    import psycopg2

    admin = services["KMRL_PG_DSN"]
    name = f"kmrl_t_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.close()


@pytest.fixture()
def catalog(pg_dsn):
    from airflow_provider_kmrl.pipeline.catalog import Catalog

    cat = Catalog(pg_dsn, max_connections=8)
    cat.migrate()
    yield cat
    cat.close()


@pytest.fixture()
def scanner(services):
    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner

    return ClamdScanner(ClamdAddress(host=services["KMRL_CLAMD_HOST"], port=int(services["KMRL_CLAMD_PORT"])))


@pytest.fixture()
def minio_client(services):
    from minio import Minio

    from airflow_provider_kmrl.hooks.minio import parse_endpoint

    endpoint, secure = parse_endpoint(services["KMRL_S3_ENDPOINT"], None)
    return Minio(endpoint, services["KMRL_S3_ACCESS_KEY"], services["KMRL_S3_SECRET_KEY"], secure=secure)


@pytest.fixture()
def minio_store(minio_client):
    from airflow_provider_kmrl.hooks.stores import MinioStore

    return MinioStore(minio_client, part_size=8 * 1024 * 1024)


@pytest.fixture()
def buckets(services) -> Iterator[tuple[str, str]]:
    """Unique raw and quarantine bucket names for one test, removed from the S3 server afterwards."""
    tag = uuid.uuid4().hex[:10]
    names = (f"raw-{tag}", f"quarantine-{tag}")
    yield names
    from minio import Minio

    from airflow_provider_kmrl.hooks.minio import parse_endpoint

    endpoint, secure = parse_endpoint(services["KMRL_S3_ENDPOINT"], None)
    client = Minio(endpoint, services["KMRL_S3_ACCESS_KEY"], services["KMRL_S3_SECRET_KEY"], secure=secure)
    for bucket in names:
        if client.bucket_exists(bucket):
            for obj in client.list_objects(bucket, recursive=True):
                client.remove_object(bucket, obj.object_name)
            client.remove_bucket(bucket)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath) or "/dags/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
