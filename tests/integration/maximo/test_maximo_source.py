"""The Maximo source against a local server speaking the OSLC shapes, through the real hook and ``requests``,
and through the whole pipeline (clamd, S3, Postgres)."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta, timezone

import pytest

from airflow_provider_kmrl.hooks.maximo import MaximoAuthError, MaximoHook
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import Window
from airflow_provider_kmrl.sources.maximo import MaximoOptions, MaximoSource
from tests import corpus
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.maximo.conftest import maximo_connection

IST = timezone(timedelta(hours=5, minutes=30))
JAN = datetime(2026, 1, 5, 9, 0, tzinfo=IST)


def _engine(catalog, scanner, store, buckets, tmp_path):
    raw, quarantine = buckets
    settings = IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine, batch_size=3, concurrency=3,
                              spool_dir=str(tmp_path / "spool"))
    return IngestEngine(catalog, scanner, store, settings=settings)


def _source(conn_id, **options):
    options.setdefault("site", "MUTTOM")
    options.setdefault("page_size", 2)
    return MaximoSource("maximo", MaximoOptions(**options), conn_id=conn_id)


def _run(engine, source, checkpoint, window=None):
    try:
        return engine.run(source, checkpoint, window)
    finally:
        source.close()


def _by_doclink(dsn):
    return {r["source_metadata"]["doclink_id"]: r for r in rows(dsn, "maximo")}


def _seed(maximo, with_link=False):
    pump = maximo.add_work_order("WO-1001", JAN, worktype="CM", status="COMP", assetnum="PUMP-07",
                                 location="MUTTOM-DEPOT", description="Replace pump seal")
    track = maximo.add_work_order("WO-1002", JAN + timedelta(days=1), worktype="PM", status="INPRG",
                                  assetnum="TRK-221", location="ALUVA-VIADUCT",
                                  description="Track inspection")
    maximo.add_work_order("WO-1003", JAN + timedelta(days=2), description="No attachments")
    signal = maximo.add_work_order("WO-1004", JAN + timedelta(days=3), worktype="EM", status="WAPPR",
                                   assetnum="SIG-3", location="EDAPALLY", description="Signal failure")
    other = maximo.add_work_order("WO-9001", JAN, siteid="KOCHI-HQ", description="Another site")
    files = {
        "seal.pdf": maximo.attach(pump, "pump seal report.pdf", corpus.minimal_pdf("Pump seal report"),
                                  created=JAN, mime_type="application/pdf"),
        "photo": maximo.attach(pump, "നിരീക്ഷണം കുറിപ്പ്.txt", corpus.CIRCULAR_ML.encode(), created=JAN,
                               mime_type="text/plain"),
        "drawing": maximo.attach(track, "track drawing rev C.docx", corpus.minimal_docx(["Track drawing C"]),
                                 created=JAN + timedelta(days=1)),
        "eicar": maximo.attach(signal, "log.txt", corpus.EICAR, created=JAN + timedelta(days=3)),
        "other": maximo.attach(other, "hq.pdf", corpus.minimal_pdf("HQ"), created=JAN),
    }
    if with_link:
        files["link"] = maximo.attach(signal, "Vendor manual", url_type="URL", url="https://vendor.example.com/manual",
                                      created=JAN + timedelta(days=3))
    return files


def test_work_order_attachments_land_with_their_work_order_and_a_rerun_adds_nothing(
    maximo, maximo_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    files = _seed(maximo)
    checkpoint = MemoryCheckpoint()
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    summary = _run(engine, _source(maximo_conn_id), checkpoint)

    found = _by_doclink(catalog.dsn)
    assert str(files["other"].id) not in found, "the site filter keeps other sites out"
    assert set(found) == {str(files[k].id) for k in ("seal.pdf", "photo", "drawing", "eicar")}
    seal = found[str(files["seal.pdf"].id)]
    assert seal["status"] == "success" and seal["scan_status"] == "clean"
    assert seal["file_name"] == "pump seal report.pdf"
    assert seal["source_id"] == f"doclink/{files['seal.pdf'].id}"
    assert seal["checksum"] == hashlib.sha256(files["seal.pdf"].data).hexdigest()
    assert minio_store.sha256_of(*minio_store.locate(seal["object_uri"])) == seal["checksum"]
    meta = seal["source_metadata"]
    wo_fields = ("wonum", "siteid", "worktype", "status", "assetnum", "location", "description")
    assert {k: meta[k] for k in wo_fields} == {
        "wonum": "WO-1001", "siteid": "MUTTOM", "worktype": "CM", "status": "COMP", "assetnum": "PUMP-07",
        "location": "MUTTOM-DEPOT", "description": "Replace pump seal"}
    assert meta["href"].startswith(maximo.base_url), "hrefs are followed on the configured host"
    assert found[str(files["photo"].id)]["language"] == "ml"
    assert found[str(files["eicar"].id)]["status"] == "quarantined"
    assert found[str(files["drawing"].id)]["source_metadata"]["wonum"] == "WO-1002"
    assert summary.by_status.get("success") == 3

    query = maximo.queries()[0]
    assert query["headers"]["apikey"] == maximo.api_key and "maxauth" not in query["headers"]
    params = query["params"]
    assert params["lean"] == "1" and params["stablepaging"] == "1" and params["oslc.pageSize"] == "2"
    assert params["oslc.orderBy"] == "+changedate,+wonum"
    assert params["oslc.where"] == 'siteid="MUTTOM"'
    assert set(params["oslc.select"].split(",")) >= {"wonum", "siteid", "worktype", "status", "assetnum",
                                                     "location", "description", "changedate", "doclinks"}
    assert any("stableId" in r["params"] for r in maximo.requests), "later pages follow responseInfo.nextPage"
    assert checkpoint.value["changedate"] == (JAN + timedelta(days=3)).isoformat()
    assert "attached_since" in checkpoint.value

    before = len(rows(catalog.dsn, "maximo"))
    rerun = _run(engine, _source(maximo_conn_id), checkpoint)
    assert rerun.processed == 0 and len(rows(catalog.dsn, "maximo")) == before
    where = maximo.queries()[-1]["params"].get("oslc.where", "")
    assert 'changedate>="2026-01-08T08:00:00+05:30"' in where, "from the watermark, one hour of overlap"


def test_url_doclinks_are_recorded_not_fetched(maximo, maximo_conn_id, catalog, scanner, minio_store, buckets,
                                               tmp_path):
    files = _seed(maximo, with_link=True)
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    _run(engine, _source(maximo_conn_id), MemoryCheckpoint())
    link = _by_doclink(catalog.dsn)[str(files["link"].id)]
    assert link["status"] == "rejected"
    assert "URL-type doclink" in link["rejection_reason"] and "https://vendor.example.com/manual" in link[
        "rejection_reason"]
    assert link["source_metadata"]["url"] == "https://vendor.example.com/manual"
    link_path = f"/doclinks/{files['link'].id}"
    assert not [r for r in maximo.requests if r["path"].endswith(link_path)], "never fetched"


class _SureAboutInvoices:
    """A classifier (the pipeline's pluggable interface) that is confident about invoices only."""

    version = "test-invoices-1"

    def classify(self, doc):
        from airflow_provider_kmrl.pipeline.models import Classification

        if "invoice" in doc.file_name.lower():
            return Classification(department="finance", doc_category="invoice", confidence=0.9,
                                  classifier_version=self.version)
        return Classification(classifier_version=self.version)


def test_department_defaults_to_engineering_unless_the_classifier_is_confident(
    maximo, maximo_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    wo = maximo.add_work_order("WO-7001", JAN, worktype="PROJ", description="Depot canopy")
    note = maximo.attach(wo, "site photo notes.txt", b"Notes 17\n", created=JAN)
    invoice = maximo.attach(wo, "vendor invoice 778.txt", b"Amount due 4,200\n", created=JAN)
    raw, quarantine = buckets
    engine = IngestEngine(catalog, scanner, minio_store, classifier=_SureAboutInvoices(),
                          settings=IngestSettings(raw_bucket=raw, quarantine_bucket=quarantine,
                                                  spool_dir=str(tmp_path / "spool")))
    _run(engine, _source(maximo_conn_id), MemoryCheckpoint())
    import psycopg2

    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT source_metadata->>'doclink_id', department FROM documents")
        departments = dict(cur.fetchall())
    assert departments == {str(note.id): "engineering", str(invoice.id): "finance"}


def test_attachments_added_to_old_work_orders_are_found_whether_or_not_changedate_moves(
    maximo, maximo_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    _seed(maximo)
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    _run(engine, _source(maximo_conn_id), checkpoint)
    first = set(_by_doclink(catalog.dsn))

    old = maximo.work_orders[next(r for r, wo in maximo.work_orders.items() if wo.wonum == "WO-1001")]
    silent = maximo.attach(old, "late inspection note.txt", b"Seal re-inspected after 3 months\n",
                           touch=False)
    touched = maximo.attach(old, "closure sheet.txt", b"Work order closed by depot\n", touch=True)
    second = _run(engine, _source(maximo_conn_id), checkpoint)
    third = _run(engine, _source(maximo_conn_id), checkpoint)

    found = _by_doclink(catalog.dsn)
    assert set(found) - first == {str(silent.id), str(touched.id)}
    late = found[str(silent.id)]
    assert late["status"] == "success" and late["source_metadata"]["wonum"] == "WO-1001"
    assert second.by_status == {"success": 2} and third.processed == 0
    attached = [r["params"]["oslc.where"] for r in maximo.queries()
                if "doclinks.createdate" in r["params"].get("oslc.where", "")]
    assert attached and all('siteid="MUTTOM"' in w for w in attached)


def test_throttling_is_retried_honouring_retry_after(
    maximo, maximo_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    files = _seed(maximo)
    maximo.fail_next("/os/mxapiwodetail", 429, times=2, retry_after="1")
    maximo.fail_next(f"/doclinks/{files['drawing'].id}", 503, times=1, retry_after="0")
    started = time.monotonic()
    summary = _run(_engine(catalog, scanner, minio_store, buckets, tmp_path), _source(maximo_conn_id),
                   MemoryCheckpoint())
    elapsed = time.monotonic() - started
    assert summary.by_status.get("success") == 3, summary.by_status
    assert elapsed >= 2.0, "two 429 answers with Retry-After: 1 mean two waits of a second"
    downloads = maximo.requests_to(f"/doclinks/{files['drawing'].id}")
    assert len(downloads) == 2, "the 503 download was retried once"


def test_a_download_that_keeps_failing_is_a_failed_row_retried_next_run(
    maximo, monkeypatch, catalog, scanner, minio_store, buckets, tmp_path
):
    conn_id = "kmrl_maximo_fragile"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", maximo_connection(maximo, max_retries=1))
    files = _seed(maximo)
    maximo.fail_next(f"/doclinks/{files['seal.pdf'].id}", 503, times=2, retry_after="0")
    engine = _engine(catalog, scanner, minio_store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    first = _run(engine, _source(conn_id), checkpoint)
    row = _by_doclink(catalog.dsn)[str(files["seal.pdf"].id)]
    assert row["status"] == "failed" and "503" in row["rejection_reason"], row["rejection_reason"]
    assert first.by_status.get("success") == 2
    second = _run(engine, _source(conn_id), checkpoint)
    assert second.by_status == {"success": 1}
    assert _by_doclink(catalog.dsn)[str(files["seal.pdf"].id)]["status"] == "success"


def test_wrong_credentials_fail_the_run_clearly_and_record_nothing(
    maximo, monkeypatch, catalog, scanner, minio_store, buckets, tmp_path
):
    _seed(maximo)
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_MAXIMO_BAD", maximo_connection(maximo, secret="revoked-key"))
    expected = r"rejected the credentials of connection 'kmrl_maximo_bad' \(401"
    with pytest.raises(MaximoAuthError, match=expected):
        _run(_engine(catalog, scanner, minio_store, buckets, tmp_path), _source("kmrl_maximo_bad"),
             MemoryCheckpoint())
    assert rows(catalog.dsn, "maximo") == []
    assert len(maximo.requests) == 1, "a 401 is not retried"


def test_hook_connection_test_with_apikey_and_maxauth(maximo, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_MX_KEY", maximo_connection(maximo))
    monkeypatch.setenv("AIRFLOW_CONN_MX_NATIVE", maximo_connection(maximo, auth="maxauth"))
    monkeypatch.setenv("AIRFLOW_CONN_MX_WRONG", maximo_connection(maximo, auth="maxauth", secret="nope"))
    ok, message = MaximoHook("mx_key").test_connection()
    assert ok and "as MAXADMIN" in message, message
    ok, message = MaximoHook("mx_native").test_connection()
    assert ok, message
    assert "maxauth" in maximo.requests[-1]["headers"] and "apikey" not in maximo.requests[-1]["headers"]
    ok, message = MaximoHook("mx_wrong").test_connection()
    assert not ok and "401" in message and "login and password" in message


def test_backfill_window_selects_attachments_by_creation_date(
    maximo, maximo_conn_id, catalog, scanner, minio_store, buckets, tmp_path
):
    files = _seed(maximo)
    window = Window(JAN + timedelta(days=1), JAN + timedelta(days=2))
    summary = _run(_engine(catalog, scanner, minio_store, buckets, tmp_path), _source(maximo_conn_id),
                   MemoryCheckpoint(), window)
    assert set(_by_doclink(catalog.dsn)) == {str(files["drawing"].id)}
    assert summary.checkpoint is None
    where = maximo.queries()[0]["params"]["oslc.where"]
    assert where.startswith('doclinks.createdate>="2026-01-06T09:00:00+05:30" and '
                            'doclinks.createdate<"2026-01-07')


def test_checkpoint_moves_only_over_the_global_committed_prefix(maximo, maximo_conn_id):
    """The engine reports committed prefixes per batch; a gap in an earlier batch must hold the cursor."""
    wos = [maximo.add_work_order(f"WO-{n}", JAN + timedelta(hours=n)) for n in range(4)]
    for wo in wos:
        maximo.attach(wo, f"{wo.wonum}.txt", b"x", created=wo.changedate)
    source = _source(maximo_conn_id, site=None)
    try:
        items = list(source.list_items(None, None))
        assert [i.metadata["wonum"] for i in items] == ["WO-0", "WO-1", "WO-2", "WO-3"]
        cp = source.next_checkpoint(None, items[:1])  # batch 1: WO-0 committed, WO-1 still pending
        assert cp["changedate"] == wos[0].changedate.isoformat()
        cp = source.next_checkpoint(cp, items[2:])  # batch 2 fully committed: still behind WO-1
        assert cp["changedate"] == wos[0].changedate.isoformat()
        cp = source.next_checkpoint(cp, items[1:2])  # WO-1 finished by a later pass
        assert cp["changedate"] == wos[3].changedate.isoformat()
    finally:
        source.close()
