"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from typing import Any

import psycopg2


class MemoryCheckpoint:
    """A checkpoint store that keeps the cursor in memory (the operator uses a Variable)."""

    def __init__(self, value: dict[str, Any] | None = None) -> None:
        self.value = value
        self.saves = 0

    def load(self) -> dict[str, Any] | None:
        return self.value

    def save(self, value: dict[str, Any]) -> None:
        self.value = json.loads(json.dumps(value))
        self.saves += 1


def rows(dsn: str, source: str | None = None) -> list[dict[str, Any]]:
    """All documents rows (optionally of one source) as dicts."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT to_regclass('documents') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []  # not migrated yet
        cur.execute(
            "SELECT id::text, source_system, source_id, object_uri, file_name, status, rejection_reason,"
            " scan_status, scan_signature, duplicate_of::text, checksum, file_size, mime_type, language,"
            " source_metadata, retry_count FROM documents"
            + (" WHERE source_system = %s" if source else "") + " ORDER BY ingestion_ts, id",
            (source,) if source else None,
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def events(dsn: str, doc_id: str) -> list[str]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT event FROM document_events WHERE document_id = %s ORDER BY id", (doc_id,))
        return [r[0] for r in cur.fetchall()]


def by_path(all_rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["source_metadata"]["path"]: r for r in all_rows}


def assert_corpus_statuses(found: dict[str, dict[str, Any]], expected: dict[str, tuple[bytes, str, str]]) -> None:
    """Each file has its expected status and reason; of identical copies, any one may be the original."""
    assert sorted(found) == sorted(expected), "every file must end as exactly one row"
    groups: dict[bytes, list[str]] = {}
    for path, (payload, status, _reason) in expected.items():
        if status in ("success", "duplicate"):
            groups.setdefault(payload, []).append(path)
    for paths in groups.values():
        got = sorted(found[p]["status"] for p in paths)
        want = sorted(expected[p][1] for p in paths)
        assert got == want, (paths, got)
        original = next(found[p] for p in paths if found[p]["status"] == "success")
        for p in paths:
            if found[p]["status"] == "duplicate":
                assert found[p]["duplicate_of"] == original["id"] and found[p]["object_uri"] == original["object_uri"]
                assert "same content" in found[p]["rejection_reason"]
    for path, (_payload, status, reason) in expected.items():
        row = found[path]
        if status not in ("success", "duplicate"):
            assert row["status"] == status, (path, row["status"], row["rejection_reason"])
            assert reason.lower() in (row["rejection_reason"] or "").lower(), (path, row["rejection_reason"])
        if row["status"] == "success":
            assert row["scan_status"] == "clean", path


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = os.path.join(REPO, "scripts", "services.sh")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateClamd:
    """A clamd of our own (own port, state and limits), so tests may stop and start it."""

    def __init__(self, state_dir: str, **limits: str) -> None:
        self.port = _free_port()
        self.env = {**os.environ, "KMRL_STATE_DIR": state_dir, "KMRL_CLAMD_PORT": str(self.port), **limits}

    def _services(self, action: str) -> None:
        subprocess.run([SERVICES, action, "clamd"], env=self.env, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._services("start")

    def stop(self) -> None:
        self._services("stop")

    def scanner(self):
        from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner

        return ClamdScanner(ClamdAddress(host="127.0.0.1", port=self.port, timeout=30))

    @property
    def db_dir(self) -> str:
        return os.path.join(self.env["KMRL_STATE_DIR"], "clamd", "db")

    def add_signature(self, name: str, marker: bytes) -> None:
        """Add an ndb signature for ``marker`` and make clamd reload its database."""
        with open(os.path.join(self.db_dir, "kmrl-extra.ndb"), "a") as fh:
            fh.write(f"{name}:0:*:{marker.hex()}\n")
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(b"zRELOAD\0")
            sock.recv(100)


