"""The e-mail source against a private Dovecot (``scripts/dovecot.sh``): no-op, bulk and large mail.

Cases (each measured in its own child process, ``python -m benchmarks.bench_imap --child ...``):

- ``imap_noop``: 10,000 messages, each with one attachment, ingested for real; then the
  incremental task runs again with nothing new. Goal: its source work under 2 s. Also shown: the
  source's listing alone, and a run that lost its checkpoint (everything listed again, skipped).
- ``imap_ingest``: 1,000 messages with one unique 20 KB PDF each, as an Airflow task runs them;
  throughput and the task's peak RSS, against the source alone (list + fetch + decode, no pipeline).
- ``imap_large``: one 25 MB attachment (34 MB of base64 in the message). Goal: peak RSS of the
  ingesting process under 4x the attachment; the same process with a 20 KB attachment is the baseline.

``python -m benchmarks.bench_imap [--messages 1000] [--idle 10000] [--large-mb 25] [--store fs|s3]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import uuid
from typing import Any

from benchmarks.common import (
    MIB,
    BenchError,
    Case,
    Goal,
    Run,
    fresh_database,
    peak_rss_self,
    print_case,
    run_child,
    s3_buckets,
    services,
    write_results,
)

MB = 1_000_000


# -- the measured child -------------------------------------------------------------------------


def child(config: dict[str, Any]) -> dict[str, Any]:
    """One measured run: ``ingest`` (the engine), ``list`` (listing only) or ``fetch`` (source only)."""
    if config.get("like_a_task"):
        import airflow.sdk  # noqa: F401

        import airflow_provider_kmrl.operators.ingest
        import airflow_provider_kmrl.runner
    # Imports happen before the clock starts in every mode (the hook brings Airflow in).
    import airflow_provider_kmrl.hooks.imap
    import airflow_provider_kmrl.sources.mail_decode
    import airflow_provider_kmrl.sources.mail_message  # noqa: F401
    from airflow_provider_kmrl.sources.imap import ImapOptions, ImapSource
    from benchmarks.worker import FileCheckpoint

    source = ImapSource("bench_mail", ImapOptions(mailbox=config["mailbox"]), config["conn_id"])
    checkpoint = FileCheckpoint(config["checkpoint"])
    try:
        if config["mode"] == "list":
            started = time.perf_counter()
            count = sum(1 for _ in source.list_items(checkpoint.load(), None))
            return {"seconds": time.perf_counter() - started, "docs": count}
        if config["mode"] == "fetch":
            return _fetch_only(source, config)
        return _ingest(source, checkpoint, config)
    finally:
        source.close()


def _ingest(source, checkpoint, config: dict[str, Any]) -> dict[str, Any]:
    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner
    from airflow_provider_kmrl.hooks.stores import LocalFolderStore, MinioStore
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
    from benchmarks.worker import _minio

    catalog = Catalog(config["dsn"], max_connections=config["concurrency"] + 2)
    catalog.migrate()
    store = (
        LocalFolderStore(config["store"][3:])
        if config["store"].startswith("fs:")
        else MinioStore(_minio(), part_size=8 * MIB)
    )
    settings = IngestSettings(
        raw_bucket=config["raw"],
        quarantine_bucket=config["quarantine"],
        batch_size=config["batch_size"],
        concurrency=config["concurrency"],
        spool_dir=config["spool"],
    )
    scanner = ClamdScanner(
        ClamdAddress(host=os.environ["KMRL_CLAMD_HOST"], port=int(os.environ["KMRL_CLAMD_PORT"]), timeout=900)
    )
    engine = IngestEngine(catalog, scanner, store, settings=settings)
    started = time.perf_counter()
    summary = engine.run(source, checkpoint)
    seconds = time.perf_counter() - started
    catalog.close()
    return {"seconds": seconds, "summary": summary.as_dict(max_ids=0), "checkpoint_saves": checkpoint.saves}


def _fetch_only(source, config: dict[str, Any]) -> dict[str, Any]:
    """The source's own limit: list, fetch and decode every attachment into a spool file, nothing else."""
    from concurrent.futures import ThreadPoolExecutor

    from airflow_provider_kmrl.pipeline.spool import spool_stream

    def fetch(item) -> int:
        with source.open(item) as stream:
            spooled = spool_stream(stream, config["spool"], None)
        spooled.discard()
        return spooled.size

    started = time.perf_counter()
    items = list(source.list_items(None, None))
    with ThreadPoolExecutor(config["concurrency"]) as pool:
        sizes = list(pool.map(fetch, items))
    return {"seconds": time.perf_counter() - started, "docs": len(sizes), "bytes": sum(sizes)}


# -- orchestration ------------------------------------------------------------------------------


class Bench:
    """One private Dovecot, one scratch folder and the settings shared by the cases."""

    def __init__(self, env: dict[str, str], store: str) -> None:
        from tests.integration.imap.mailserver import Dovecot

        self.env = env
        self.store_kind = store
        root = os.path.join(os.environ.get("KMRL_STATE_DIR") or "/tmp", "bench")
        os.makedirs(root, exist_ok=True)
        self.scratch = os.path.join(root, f"imap-{uuid.uuid4().hex[:8]}")
        os.makedirs(self.scratch)
        # No token ever reaches it: the benchmark logs in with a password.
        self.dovecot = Dovecot("http://127.0.0.1:9/introspect").start()
        self.child_env = {
            "AIRFLOW_HOME": os.path.join(self.scratch, "airflow-home"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW_CONN_BENCH_IMAP": self.dovecot.connection("imaps"),
        }

    def close(self) -> None:
        self.dovecot.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def folder(self):
        return self.dovecot.folder()

    def run(
        self,
        mode: str,
        folder,
        *,
        dsn: str = "",
        buckets: tuple[str, str] = ("", ""),
        checkpoint: str,
        like_a_task: bool = False,
        concurrency: int = 4,
        batch_size: int = 100,
    ) -> dict[str, Any]:
        store = f"fs:{os.path.join(self.scratch, 'store')}" if self.store_kind == "fs" else "s3"
        config = {
            "mode": mode,
            "mailbox": folder.name,
            "conn_id": "bench_imap",
            "dsn": dsn,
            "store": store,
            "raw": buckets[0],
            "quarantine": buckets[1],
            "checkpoint": checkpoint,
            "spool": os.path.join(self.scratch, "spool"),
            "concurrency": concurrency,
            "batch_size": batch_size,
            "like_a_task": like_a_task,
        }
        return run_child(
            ["benchmarks.bench_imap", "--child", json.dumps(config)], env=self.child_env, timeout=1800
        )

    def buckets(self):
        if self.store_kind == "s3":
            return s3_buckets(self.env, "raw", "quar")
        tag = uuid.uuid4().hex[:8]
        return _Static([f"raw-{tag}", f"quar-{tag}"])


class _Static:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def __enter__(self) -> list[str]:
        return self.names

    def __exit__(self, *exc: object) -> None:
        return None


def _seed(folder, count: int, size: int, subject: str) -> int:
    """``count`` messages with one unique PDF attachment of about ``size`` bytes; returns the bytes."""
    from tests.integration.imap import messages

    total = 0
    for n in range(count):
        body = messages.pdf(f"{subject} {n} {uuid.uuid4().hex}")[:-7]  # without the trailing %%EOF
        filler = (f"% {n:08d} {uuid.uuid4().hex}\n" * (size // 44 + 1)).encode()
        payload = body + b"\n" + filler[: max(0, size - len(body) - 8)] + b"\n%%EOF\n"
        folder.add(messages.attachment_mail(f"{subject} {n}", f"{subject}-{n:05d}.pdf", payload))
        total += len(payload)
    return total


def noop_case(bench: Bench, count: int) -> Case:
    case = Case(
        "imap_noop",
        f"incremental run over {count} mail attachments already ingested ({bench.store_kind} store)",
    )
    folder = bench.folder()
    seeded = time.perf_counter()
    nbytes = _seed(folder, count, 1024, "memo")
    case.notes.append(f"seeding {count} messages into the Maildir: {time.perf_counter() - seeded:.1f} s")
    cp = os.path.join(bench.scratch, f"noop-{uuid.uuid4().hex[:6]}.json")
    with fresh_database(bench.env) as dsn, bench.buckets() as buckets:
        first = bench.run("ingest", folder, dsn=dsn, buckets=tuple(buckets), checkpoint=cp, like_a_task=True)
        if first["summary"]["by_status"] != {"success": count}:
            raise BenchError(f"first ingest should store all {count}: {first['summary']['by_status']}")
        case.runs.append(Run("first ingest", count, nbytes, first["seconds"], first["peak_rss_bytes"]))
        again = bench.run("ingest", folder, dsn=dsn, buckets=tuple(buckets), checkpoint=cp, like_a_task=True)
        if again["summary"]["listed"] != 0 or again["summary"]["processed"] != 0:
            raise BenchError(f"the no-op run should list nothing: {again['summary']}")
        case.runs.append(
            Run(
                "no-op run",
                0,
                0,
                again["seconds"],
                again["peak_rss_bytes"],
                {"process_seconds": round(again["process_seconds"], 2)},
            )
        )
        listing = bench.run("list", folder, checkpoint=cp)
        case.runs.append(
            Run("no-op listing alone", listing["docs"], 0, listing["seconds"], listing["peak_rss_bytes"])
        )
        lost = os.path.join(bench.scratch, "lost-checkpoint.json")
        cold = bench.run("ingest", folder, dsn=dsn, buckets=tuple(buckets), checkpoint=lost, like_a_task=True)
        if cold["summary"]["skipped_known"] != count or cold["summary"]["processed"] != 0:
            raise BenchError(f"a run without checkpoint should skip all {count}: {cold['summary']}")
        case.runs.append(
            Run("lost checkpoint: relist all", count, 0, cold["seconds"], cold["peak_rss_bytes"])
        )
    folder.remove()
    noop = case.run("no-op run")
    case.goals.append(
        Goal("no-op run, engine.run() wall time", noop.seconds, 2.0, " s", higher_is_better=False)
    )
    case.notes.append(
        f"whole task process including interpreter start and imports: {noop.extra['process_seconds']} s"
    )
    case.notes.append(
        "the no-op run costs one STATUS (UIDNEXT/UIDVALIDITY) after clamd's PING and the "
        "resume query; a lost checkpoint costs a metadata FETCH of every message, no body"
    )
    return case


def ingest_case(bench: Bench, count: int, size: int) -> Case:
    case = Case(
        "imap_ingest",
        f"{count} messages with one unique {size // 1000} KB PDF each ({bench.store_kind} store)",
    )
    folder = bench.folder()
    nbytes = _seed(folder, count, size, "invoice")
    cp = os.path.join(bench.scratch, f"ingest-{uuid.uuid4().hex[:6]}.json")
    fetch = bench.run("fetch", folder, checkpoint=cp)
    case.runs.append(
        Run(
            "source alone (list+fetch+decode)",
            fetch["docs"],
            fetch["bytes"],
            fetch["seconds"],
            fetch["peak_rss_bytes"],
        )
    )
    with fresh_database(bench.env) as dsn, bench.buckets() as buckets:
        out = bench.run("ingest", folder, dsn=dsn, buckets=tuple(buckets), checkpoint=cp, like_a_task=True)
    if out["summary"]["by_status"] != {"success": count}:
        raise BenchError(f"all {count} should be stored: {out['summary']['by_status']}")
    case.runs.append(Run("pipeline (task)", count, nbytes, out["seconds"], out["peak_rss_bytes"]))
    folder.remove()
    state = case.run("pipeline (task)")
    case.notes.append(f"task peak RSS {state.peak_rss / MIB:.0f} MiB (VmHWM of the child, Airflow imported)")
    case.notes.append(
        f"pipeline / source alone: {state.seconds / case.run(case.runs[0].label).seconds:.1f}x the time"
    )
    return case


def large_case(bench: Bench, size_mb: int) -> Case:
    size = size_mb * MB
    case = Case("imap_large", f"one {size_mb} MB attachment ({bench.store_kind} store)")
    runs = {}
    for label, nbytes in (("20 KB attachment (baseline)", 20_000), (f"{size_mb} MB attachment", size)):
        folder = bench.folder()
        _seed(folder, 1, nbytes, "drawing")
        cp = os.path.join(bench.scratch, f"large-{uuid.uuid4().hex[:6]}.json")
        with fresh_database(bench.env) as dsn, bench.buckets() as buckets:
            out = bench.run("ingest", folder, dsn=dsn, buckets=tuple(buckets), checkpoint=cp, concurrency=1)
        if out["summary"]["by_status"] != {"success": 1}:
            raise BenchError(f"{label}: should be stored: {out['summary']}")
        runs[label] = Run(label, 1, nbytes, out["seconds"], out["peak_rss_bytes"])
        case.runs.append(runs[label])
        folder.remove()
    base, big = case.runs
    growth = big.peak_rss - base.peak_rss
    case.goals.append(
        Goal(
            f"peak RSS added by the {size_mb} MB attachment / its size",
            growth / size,
            4.0,
            "x",
            higher_is_better=False,
        )
    )
    case.notes.append(
        f"peak RSS {big.peak_rss / MIB:.0f} MiB = {big.peak_rss / size:.1f}x the attachment; the "
        f"same process peaks at {base.peak_rss / MIB:.0f} MiB with a 20 KB attachment (Airflow "
        f"and the clients imported), so the attachment adds {growth / MIB:.1f} MiB"
    )
    case.notes.append(
        "parts are fetched in 1 MiB ranges (BODY.PEEK[part]<offset.length>) and decoded as they arrive"
    )
    return case


def main(argv: list[str] | None = None) -> list[Case]:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_imap")
    p.add_argument("--messages", type=int, default=1000)
    p.add_argument("--size", type=int, default=20_000)
    p.add_argument(
        "--idle", type=int, default=10_000, help="messages behind the checkpoint for the no-op run"
    )
    p.add_argument("--large-mb", type=int, default=25)
    p.add_argument(
        "--store",
        choices=("fs", "s3"),
        default="fs",
        help="fs: local folder store (default); s3: the KMRL_S3_* server",
    )
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv or [])
    if args.child:
        result = child(json.loads(args.child))
        result["peak_rss_bytes"] = peak_rss_self()
        print(json.dumps(result, default=str))
        return []
    env = services()
    bench = Bench(env, args.store)
    cases: list[Case] = []
    try:
        for build in (
            lambda: noop_case(bench, args.idle),
            lambda: ingest_case(bench, args.messages, args.size),
            lambda: large_case(bench, args.large_mb),
        ):
            case = build()
            print_case(case)
            cases.append(case)
    finally:
        bench.close()
    write_results("imap", cases, env, extra={"args": {k: v for k, v in vars(args).items() if k != "child"}})
    return cases


if __name__ == "__main__":
    main(sys.argv[1:])
