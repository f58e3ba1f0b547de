"""A Maximo server (or whoever answers in its place) cannot take the credentials elsewhere or stop the source."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from airflow_provider_kmrl.hooks.maximo import MaximoError, redirect_policy
from tests import corpus
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.maximo.conftest import maximo_connection
from tests.integration.maximo.test_maximo_source import JAN, _engine, _run, _source


class Recorder:
    """Another origin: records every request's headers and answers 200 with a small body."""

    def __init__(self) -> None:
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                seen.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                body = b'{"member": []}' if "oslc" in self.path else b"%PDF-1.4 elsewhere"
                self.send_response(200)
                self.send_header("Content-Type", "application/json" if "oslc" in self.path else "application/pdf")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture()
def recorder():
    rec = Recorder()
    yield rec
    rec.close()


def _leaks(seen: list[dict], secret: str) -> list[dict]:
    return [r for r in seen if any(h in r["headers"] for h in ("apikey", "maxauth", "authorization", "cookie"))
            or secret in json.dumps(r)]


@pytest.mark.parametrize("auth", ["apikey", "maxauth"])
def test_a_redirect_to_another_origin_never_carries_the_credentials(maximo, recorder, monkeypatch, catalog,
                                                                     scanner, minio_store, buckets, tmp_path, auth):
    conn_id = f"kmrl_maximo_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", maximo_connection(maximo, auth=auth))
    wo = maximo.add_work_order("WO-7001", JAN, description="Redirected")
    maximo.attach(wo, "report.pdf", corpus.minimal_pdf("Report"), created=JAN)
    maximo.redirect_next("/doclinks/", recorder.url + "/files/report.pdf", times=10)  # the download

    _run(_engine(catalog, scanner, minio_store, buckets, tmp_path), _source(conn_id), MemoryCheckpoint())

    assert recorder.seen, "the download was redirected to the other origin"
    secret = maximo.api_key if auth == "apikey" else maximo.users["maxadmin"]
    assert _leaks(recorder.seen, secret) == []
    assert len(rows(catalog.dsn, "maximo")) == 1, "the attachment still ends as one row"


def test_a_redirected_query_goes_without_credentials_too(maximo, recorder, maximo_conn_id):
    from airflow_provider_kmrl.hooks.maximo import MaximoHook

    maximo.redirect_next("/oslc/whoami", recorder.url + "/maximo/oslc/whoami")
    client = MaximoHook(maximo_conn_id).get_conn()
    try:
        client.whoami()
    except MaximoError:
        pass
    assert recorder.seen and _leaks(recorder.seen, maximo.api_key) == []


def test_the_redirect_rules():
    assert redirect_policy("https://maximo.kmrl.in/a", "http://maximo.kmrl.in/b") == "refuse"
    assert redirect_policy("https://maximo.kmrl.in/a", "https://files.example.net/b") == "strip"
    assert redirect_policy("https://maximo.kmrl.in/a", "https://maximo.kmrl.in:8443/b") == "strip"
    assert redirect_policy("https://maximo.kmrl.in/a", "https://MAXIMO.kmrl.in:443/b") == "keep"
    assert redirect_policy("http://maximo.kmrl.in/a", "https://maximo.kmrl.in/b") == "keep"


def test_an_https_to_http_redirect_is_refused_by_the_session():
    """The rule is what the client's session applies: the refusal is raised from a real redirect."""
    import requests

    from airflow_provider_kmrl.hooks.maximo import _credential_safe_session

    session = _credential_safe_session()
    original = requests.Request("GET", "https://maximo.kmrl.in/maximo/oslc/whoami",
                                headers={"apikey": "k"}).prepare()
    response = requests.Response()
    response.request, response.url, response.status_code = original, original.url, 302
    redirected = original.copy()
    redirected.prepare_url("http://maximo.kmrl.in/maximo/oslc/whoami", None)
    with pytest.raises(MaximoError, match="https to http"):
        session.rebuild_auth(redirected, response)


def test_unstorable_attachment_names_cost_one_row_each(maximo, maximo_conn_id, catalog, scanner, minio_store,
                                                      buckets, tmp_path):
    wo = maximo.add_work_order("WO-7002", JAN, description="Odd names")
    maximo.attach(wo, "nul\x00name.pdf", corpus.minimal_pdf("NUL"), created=JAN)
    maximo.attach(wo, "surrogate-\ud800.pdf", corpus.minimal_pdf("Surrogate"), created=JAN)
    maximo.attach(wo, "fine.pdf", corpus.minimal_pdf("Fine"), created=JAN)

    _run(_engine(catalog, scanner, minio_store, buckets, tmp_path), _source(maximo_conn_id), MemoryCheckpoint())

    found = sorted(r["file_name"] for r in rows(catalog.dsn, "maximo"))
    assert found == ["fine.pdf", "nul\\x00name.pdf", "surrogate-\\ud800.pdf"]


def test_no_secret_in_errors_or_logs(maximo, monkeypatch, caplog):
    from airflow_provider_kmrl.hooks.maximo import MaximoHook

    marker = f"S3cr3t-M4rk3r-{uuid.uuid4().hex}"
    conn_id = f"kmrl_maximo_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", maximo_connection(maximo, secret=marker))
    caplog.set_level(logging.DEBUG)
    messages = []
    for status in (None, 500):
        if status:
            maximo.fail_next("/oslc/whoami", status, times=10)
        try:
            MaximoHook(conn_id).get_conn().whoami()
        except Exception as err:
            messages.append(f"{err!r} {err}")
    ok, message = MaximoHook(conn_id).test_connection()
    messages.append(message)
    assert messages and all(marker not in m for m in messages)
    assert marker not in caplog.text
