"""Every stored document is announced on kmrl_ready_for_extraction exactly once, whichever run stored it."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from tests.helpers import rows

pytestmark = pytest.mark.airflow


class FlakyClamd:
    """A TCP proxy to the real clamd that stops serving scans after ``scans`` of them (PING still works).

    That is a scanner dying mid-run, after the first batches have committed.
    """

    def __init__(self, host: str, port: int, scans: int) -> None:
        self.target = (host, port)
        self.scans_left = scans
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            first = client.recv(65536)
            if first.startswith(b"zINSTREAM"):
                with self.lock:
                    allowed = self.scans_left > 0
                    self.scans_left -= 1
                if not allowed:
                    return  # hang up without a reply: clamd went away
            with socket.create_connection(self.target) as upstream:
                upstream.sendall(first)
                pump = threading.Thread(target=_pump, args=(client, upstream), daemon=True)
                pump.start()
                _pump(upstream, client)

    def close(self) -> None:
        self.server.close()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def _announced(source: str) -> list[list[str]]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        found = (
            session.query(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetModel.name == "kmrl_ready_for_extraction").order_by(AssetEvent.id).all()
        )
        return [e.extra["doc_ids"] for e in found if e.extra.get("source") == source]


def test_documents_committed_by_a_failed_run_are_announced_by_the_next(airflow_sources, services, monkeypatch):
    from airflow_provider_kmrl.dags import build_dags

    src = airflow_sources
    for n in range(20):
        (src["uploads"] / f"circular-{n:02d}.txt").write_text(f"Safety circular number {n}\n" * 40)
    flaky = FlakyClamd(services["KMRL_CLAMD_HOST"], int(services["KMRL_CLAMD_PORT"]), scans=8)
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_CLAMAV", json.dumps(
        {"conn_type": "kmrl_clamav", "host": "127.0.0.1", "port": flaky.port, "extra": {"timeout": 10}}))
    try:
        dag = build_dags(src["file"])[f"kmrl_ingest__{src['name']}"]  # batch_size 8: one batch commits
        dag.get_task("ingest").retries = 0  # the retry is the next run below
        assert dag.test().state == "failed"
    finally:
        flaky.close()
    first = rows(src["pg_dsn"], src["name"])
    committed = {r["id"] for r in first if r["status"] == "success"}
    assert len(committed) >= 1, "the failed run committed a batch before clamd went away"
    assert _announced(src["name"]) == [], "a failed task sends no Asset event"

    monkeypatch.setenv("AIRFLOW_CONN_KMRL_CLAMAV", src["env"]["AIRFLOW_CONN_KMRL_CLAMAV"])
    dag = build_dags(src["file"])[f"kmrl_ingest__{src['name']}"]
    assert dag.test().state == "success"
    assert dag.test().state == "success"  # a no-op run announces nothing more

    final = rows(src["pg_dsn"], src["name"])
    stored = {r["id"] for r in final if r["status"] == "success"}
    assert len(stored) == 20, [(r["source_id"], r["status"], r["rejection_reason"])
                               for r in final if r["status"] != "success"]
    announced = [doc_id for event in _announced(src["name"]) for doc_id in event]
    assert sorted(announced) == sorted(stored), "each stored document announced once, the failed run's too"
    assert committed <= set(announced)
