"""A fake Maximo (a local HTTP server speaking the OSLC JSON shapes) and connections to it."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.integration.maximo.fake_maximo import FakeMaximo


@pytest.fixture()
def buckets(minio_client):
    """Like the suite's ``buckets``, but removed afterwards (S3 server volumes are a shared, finite pool)."""
    from tests.integration.sftp.s3cleanup import temporary_buckets

    with temporary_buckets(minio_client) as names:
        yield names


@pytest.fixture()
def maximo():
    fake = FakeMaximo()
    fake.base_url = fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def maximo_connection(fake: FakeMaximo, *, auth: str = "apikey", secret: str | None = None, **extra) -> str:
    """The ``AIRFLOW_CONN_*`` JSON of a ``kmrl_maximo`` connection to the fake server."""
    if auth == "apikey":
        login, password = None, secret if secret is not None else fake.api_key
    else:
        login, password = "maxadmin", secret if secret is not None else fake.users["maxadmin"]
    return json.dumps({"conn_type": "kmrl_maximo", "host": fake.base_url, "login": login,
                       "password": password, "extra": {"auth_type": auth, "max_retry_wait": 5, **extra}})


@pytest.fixture()
def maximo_conn_id(maximo, monkeypatch) -> str:
    conn_id = f"kmrl_maximo_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", maximo_connection(maximo))
    return conn_id
