"""The generated e-mail DAGs, run by Airflow against a real Dovecot: the CLI and dag.test()."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from tests.helpers import rows
from tests.integration.imap import messages
from tests.integration.imap.conftest import dovecot, introspection  # noqa: F401 - session fixtures

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")


def _airflow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [AIRFLOW, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=600
    )


@pytest.fixture()
def mail_sources(tmp_path, services, pg_dsn, dovecot, monkeypatch):  # noqa: F811 - fixture from the import
    """A sources file with one imap source over a fresh mail folder, and its connections as env variables."""
    name = f"mail_{uuid.uuid4().hex[:8]}"
    folder = dovecot.folder()
    store = tmp_path / "store"
    store.mkdir()
    sources = {
        "defaults": {
            "raw_bucket": "kmrl-raw",
            "quarantine_bucket": "kmrl-quarantine",
            "batch_size": 4,
            "concurrency": 3,
        },
        "sources": [
            {
                "name": name,
                "kind": "imap",
                "conn_id": "kmrl_imap_dag",
                "schedule": None,
                "options": {"mailbox": folder.name, "chunk_size": 4096},
            }
        ],
    }
    sources_file = tmp_path / "kmrl_sources.yaml"
    sources_file.write_text(yaml.safe_dump(sources))
    env = {
        "KMRL_SOURCES_FILE": str(sources_file),
        "AIRFLOW_CONN_KMRL_POSTGRES": pg_dsn.replace("postgresql://", "postgres://", 1),
        "AIRFLOW_CONN_KMRL_CLAMAV": json.dumps(
            {
                "conn_type": "kmrl_clamav",
                "host": services["KMRL_CLAMD_HOST"],
                "port": int(services["KMRL_CLAMD_PORT"]),
            }
        ),
        # The embedded local-folder store: these tests are about the mail source, not S3.
        "AIRFLOW_CONN_KMRL_STORE": json.dumps({"conn_type": "fs", "extra": {"path": str(store)}}),
        "AIRFLOW_CONN_KMRL_IMAP_DAG": dovecot.connection("imaps"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield {"name": name, "folder": folder, "file": str(sources_file), "env": env, "pg_dsn": pg_dsn}
    folder.remove()


def test_airflow_dags_test_ingests_every_attachment_once_and_leaves_mail_unseen(mail_sources):
    src, tag = mail_sources, uuid.uuid4().hex[:8]
    mails = [
        messages.plain_attachments(tag),
        messages.no_attachments(tag),
        messages.forwarded(tag),
        messages.encoded_names(tag),
    ]
    for mail in mails:
        src["folder"].add(mail.raw)
    expected = sorted(doc.file_name for mail in mails for doc in mail.docs)
    dag_id = f"kmrl_ingest__{src['name']}"

    first = _airflow("dags", "test", dag_id, env=src["env"])
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    found = rows(src["pg_dsn"], src["name"])
    assert sorted(r["file_name"] for r in found) == expected
    assert {r["status"] for r in found} == {"success"}

    second = _airflow("dags", "test", dag_id, env=src["env"])
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(rows(src["pg_dsn"], src["name"])) == len(expected), "a rerun adds no row"

    state = src["folder"].status()
    assert state["UNSEEN"] == state["MESSAGES"] == len(mails), "the messages are still unseen"
    variable = _airflow("variables", "get", f"kmrl_checkpoint__{src['name']}", env=src["env"])
    checkpoint = json.loads(variable.stdout.strip().splitlines()[-1])
    assert checkpoint["mailboxes"][src["folder"].name] == {
        "uidvalidity": state["UIDVALIDITY"],
        "last_uid": len(mails),
    }


def test_backfill_over_three_daily_intervals_takes_exactly_those_days(mail_sources):
    from airflow_provider_kmrl.dags import build_dags

    src, tag = mail_sources, uuid.uuid4().hex[:8]
    first_day = datetime(2026, 3, 1, tzinfo=timezone.utc)
    for offset in range(6):  # 1-6 March; each day one mail in the morning, one a second before midnight
        day = first_day + timedelta(days=offset)
        for label, when in (("am", day + timedelta(hours=9)), ("late", day + timedelta(days=1, seconds=-1))):
            name = f"{day:%m-%d}-{label}.txt"
            src["folder"].add(
                messages.attachment_mail(f"{name} {tag}", name, f"{name} {tag}\n".encode(), "text", "plain"),
                internaldate=when,
            )
    dag = build_dags(src["file"])[f"kmrl_backfill__{src['name']}"]

    # dag.test(logical_date=D) runs the manual interval [D - 1 day, D): here 2, 3 and 4 March.
    for day in (3, 4, 5):
        run = dag.test(logical_date=datetime(2026, 3, day, tzinfo=timezone.utc))
        assert run.state == "success"

    names = sorted(r["file_name"] for r in rows(src["pg_dsn"], src["name"]))
    assert names == [f"03-0{d}-{label}.txt" for d in (2, 3, 4) for label in ("am", "late")]
    out = _airflow("variables", "get", f"kmrl_checkpoint__{src['name']}", env=src["env"])
    assert out.returncode != 0, "a backfill must not create or move the incremental checkpoint"
