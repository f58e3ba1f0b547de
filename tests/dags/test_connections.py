"""Connection types: Airflow's own `connections test` against the real clamd and S3 server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")


def _test_connection(conn_id: str, conn: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(conn), "AIRFLOW__CORE__TEST_CONNECTION": "Enabled"}
    return subprocess.run([AIRFLOW, "connections", "test", conn_id], env=env, capture_output=True, text=True,
                          timeout=120)


def test_clamav_connection_test_reports_version_and_failure(services, monkeypatch):
    conn = {"conn_type": "kmrl_clamav", "host": "127.0.0.1", "port": int(services["KMRL_CLAMD_PORT"])}
    ok = _test_connection("clam_ok", conn)
    assert "Connection success!" in ok.stdout, ok.stdout + ok.stderr[-1500:]
    from airflow_provider_kmrl.hooks.clamav import ClamAVHook

    monkeypatch.setenv("AIRFLOW_CONN_CLAM_OK", json.dumps(conn))
    success, message = ClamAVHook("clam_ok").test_connection()
    assert success and "ClamAV" in message
    via_socket = _test_connection("clam_sock", {"conn_type": "kmrl_clamav",
                                                 "extra": {"socket": services["KMRL_CLAMD_SOCKET"]}})
    assert "Connection success!" in via_socket.stdout, via_socket.stdout + via_socket.stderr[-1500:]
    down = _test_connection("clam_down", {"conn_type": "kmrl_clamav", "host": "127.0.0.1", "port": 1})
    assert "Connection failed" in down.stdout and "cannot reach clamd at 127.0.0.1:1" in down.stdout


def test_minio_connection_test_checks_the_keys(services):
    good = {"conn_type": "kmrl_minio", "host": services["KMRL_S3_ENDPOINT"], "login": services["KMRL_S3_ACCESS_KEY"],
            "password": services["KMRL_S3_SECRET_KEY"]}
    ok = _test_connection("store_ok", good)
    assert "Connection success!" in ok.stdout, ok.stdout + ok.stderr[-1500:]
    bad = _test_connection("store_bad", {**good, "password": "wrong"})
    assert "Connection failed" in bad.stdout and "cannot list buckets" in bad.stdout


def test_connection_forms_are_declared_for_the_ui():
    out = subprocess.run([AIRFLOW, "providers", "get", "airflow-provider-kmrl", "--full", "-o", "json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-1500:]
    from airflow_provider_kmrl import get_provider_info

    types = {c["connection-type"]: c for c in get_provider_info()["connection-types"]}
    assert set(types) == {"kmrl_clamav", "kmrl_minio", "kmrl_maximo"}
    assert types["kmrl_minio"]["ui-field-behaviour"]["relabeling"]["login"] == "Access key"
