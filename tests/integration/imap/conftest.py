"""Fixtures for the e-mail source: a private Dovecot on loopback, its Maildir, XOAUTH2 introspection.

Dovecot is started through ``scripts/dovecot.sh`` once per session, with its own state
directory, free ports and a self-signed certificate; every test gets a fresh mail folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.integration.imap.mailserver import Dovecot, IntrospectionServer, MaildirFolder

CONN_ID = "kmrl_imap_test"


@pytest.fixture(scope="session")
def introspection() -> Iterator[IntrospectionServer]:
    """The OAuth2 introspection endpoint Dovecot's oauth2 passdb checks XOAUTH2 tokens against."""
    server = IntrospectionServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot(introspection) -> Iterator[Dovecot]:
    if shutil.which("dovecot") is None:
        pytest.fail("dovecot is not installed (apt-get install dovecot-imapd; scripts/install.sh does it)")
    server = Dovecot(introspection.url).start()
    yield server
    server.stop()


@pytest.fixture()
def mail_folder(dovecot) -> Iterator[MaildirFolder]:
    """A new, empty mail folder for one test, removed afterwards."""
    folder = dovecot.folder()
    yield folder
    folder.remove()


@pytest.fixture()
def s3_buckets(minio_client, buckets) -> Iterator[tuple[str, str]]:
    """The test's raw and quarantine buckets on the S3 server, emptied and removed afterwards.

    SeaweedFS gives every bucket its own volume and has a fixed number of them: buckets left
    behind by tests eventually make every new bucket fail with HTTP 500.
    """
    yield buckets
    for bucket in buckets:
        if minio_client.bucket_exists(bucket):
            for obj in minio_client.list_objects(bucket, recursive=True):
                minio_client.remove_object(bucket, obj.object_name)
            minio_client.remove_bucket(bucket)


@pytest.fixture()
def imap_conn(dovecot, monkeypatch) -> str:
    """The Airflow connection id of an ``imap`` connection to the private Dovecot (implicit TLS)."""
    monkeypatch.setenv(f"AIRFLOW_CONN_{CONN_ID.upper()}", dovecot.connection("imaps"))
    return CONN_ID
