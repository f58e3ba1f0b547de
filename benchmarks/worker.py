"""The measured side of every benchmark, one child process per run (so its peak RSS is its own).

``python -m benchmarks.worker MODE ...`` prints one JSON line: what it did, ``seconds`` of timed
work (interpreter start and imports excluded, the same for every mode), ``cpu_timed`` (this
process's CPU seconds in that work, all threads) and ``peak_rss_bytes``.

Modes:
  pipeline  the ingest engine on an upload folder, as a task runs it (``--like-a-task`` imports
            what an Airflow task process imports first)
  copy      bare copy: read every file of the folder and write it to the same store, nothing else
  scan      clamd alone: INSTREAM every file of the folder with our ClamdScanner
  seed      record every file of a folder as ingested (the state a finished run leaves), fast
  list      list the upload folder the way the source does, nothing else
  parse     time Airflow's DagBag parsing one DAG file (first parse, then warm re-parses)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from benchmarks.common import peak_rss_self


class FileCheckpoint:
    """The cursor in a JSON file written atomically, as a Variable would be."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.saves = 0

    def load(self) -> dict[str, Any] | None:
        try:
            with open(self.path) as fh:
                return json.load(fh)
        except FileNotFoundError:
            return None

    def save(self, value: dict[str, Any]) -> None:
        with open(self.path + ".tmp", "w") as fh:
            json.dump(value, fh)
        os.replace(self.path + ".tmp", self.path)
        self.saves += 1


def _files(folder: str) -> list[str]:
    return sorted(os.path.join(d, n) for d, _dirs, names in os.walk(folder) for n in names)


def _minio():
    """A client for the KMRL_S3_* server (without the hook, which would import Airflow into baselines)."""
    from urllib.parse import urlsplit

    from minio import Minio

    url = urlsplit(os.environ["KMRL_S3_ENDPOINT"])
    return Minio(url.netloc, os.environ["KMRL_S3_ACCESS_KEY"], os.environ["KMRL_S3_SECRET_KEY"],
                 secure=url.scheme == "https")


def _store(spec: str, part_mib: int):
    from airflow_provider_kmrl.hooks.stores import LocalFolderStore, MinioStore

    if spec.startswith("fs:"):
        return LocalFolderStore(spec[3:])
    return MinioStore(_minio(), part_size=part_mib * 1024 * 1024)


def _scanner(args):
    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner

    return ClamdScanner(ClamdAddress(host=args.clamd_host, port=args.clamd_port, timeout=900))


class _NoClassifier:
    """Classification left out, to show what the rest of the pipeline costs on its own."""

    version = "none"

    def classify(self, doc):
        from airflow_provider_kmrl.pipeline.models import Classification

        return Classification(classifier_version=self.version)


def run_pipeline(args) -> dict[str, Any]:
    if args.like_a_task:
        import airflow.sdk  # noqa: F401

        import airflow_provider_kmrl.operators.ingest
        import airflow_provider_kmrl.runner  # noqa: F401
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
    from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions

    setup = time.perf_counter()
    catalog = Catalog(args.dsn, max_connections=args.concurrency + 2)
    catalog.migrate()
    settings = IngestSettings(raw_bucket=args.raw, quarantine_bucket=args.quarantine, batch_size=args.batch_size,
                              concurrency=args.concurrency, max_file_size=args.max_file_size)
    if args.spool:
        settings.spool_dir = args.spool
    classifier = _NoClassifier() if args.classifier == "none" else None  # None: the engine's default
    engine = IngestEngine(catalog, _scanner(args), _store(args.store, args.part_mib), classifier=classifier,
                          settings=settings)
    source = UploadFolderSource(args.source, UploadOptions(path=args.folder))
    checkpoint = FileCheckpoint(args.checkpoint)
    started, cpu = time.perf_counter(), time.process_time()
    summary = engine.run(source, checkpoint)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    catalog.close()
    return {"seconds": seconds, "cpu_timed": cpu, "setup_seconds": started - setup, "summary": summary.as_dict(max_ids=0),
            "checkpoint_saves": checkpoint.saves, "classifier": getattr(engine.classifier, "version", "?")}


def run_copy(args) -> dict[str, Any]:
    """Read the source, write the same store under the same key layout; nothing else."""
    from airflow_provider_kmrl.pipeline.keys import object_key

    now = datetime.now(timezone.utc)
    started, cpu = time.perf_counter(), time.process_time()
    files = _files(args.folder)
    if args.store.startswith("fs:"):
        root = os.path.join(args.store[3:], args.bucket)

        def put(path: str) -> int:
            target = os.path.join(root, object_key("bench", now, str(uuid.uuid4()), os.path.basename(path)))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
            return os.path.getsize(target)
    else:
        client = _minio()
        if not client.bucket_exists(args.bucket):
            client.make_bucket(args.bucket)
        part = args.part_mib * 1024 * 1024

        def put(path: str) -> int:
            key = object_key("bench", now, str(uuid.uuid4()), os.path.basename(path))
            with open(path, "rb") as src:
                size = os.fstat(src.fileno()).st_size
                client.put_object(args.bucket, key, src, size, part_size=part if size > part else 0,
                                  num_parallel_uploads=1)
            return size

    with ThreadPoolExecutor(args.concurrency) as pool:
        sizes = list(pool.map(put, files))
    return {"seconds": time.perf_counter() - started, "cpu_timed": time.process_time() - cpu, "docs": len(sizes),
            "bytes": sum(sizes)}


def run_scan(args) -> dict[str, Any]:
    """INSTREAM every file with our ClamdScanner (its own limit: no fetch, no store, no database)."""
    scanner = _scanner(args)
    scanner.ping()
    started, cpu = time.perf_counter(), time.process_time()
    files = _files(args.folder)
    with ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(scanner.scan_file, files))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    return {"seconds": seconds, "cpu_timed": cpu, "docs": len(files),
            "bytes": sum(os.path.getsize(f) for f in files), "by_status": counts}


def run_seed(args) -> dict[str, Any]:
    """Record every file of the folder as ingested: rows and checkpoint as a finished run leaves them.

    Rows are claimed through the catalog (the engine's own insert) and completed in one statement;
    objects are not written (a no-op run never reads them). Seeding 10,000 this way takes seconds,
    where ingesting them would take minutes of the benchmark's budget.
    """
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.pipeline.keys import document_id
    from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions

    started = time.perf_counter()
    catalog = Catalog(args.dsn, max_connections=2)
    catalog.migrate()
    source = UploadFolderSource(args.source, UploadOptions(path=args.folder))
    items = list(source.list_items(None, None))
    for i in range(0, len(items), 1000):
        catalog.claim(args.source, [(document_id(args.source, it.source_id), it) for it in items[i:i + 1000]])
    with catalog.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "UPDATE documents SET status = 'success', scan_status = 'clean', checksum = md5(id::text) || md5(source_id),"
            " object_uri = 's3://seeded/' || id, file_size = (source_metadata->>'size')::bigint,"
            " mime_type = 'text/plain', updated_at = now() WHERE source_system = %s AND status = 'pending'",
            (args.source,),
        )
        conn.commit()
    FileCheckpoint(args.checkpoint).save(source.next_checkpoint(None, items))
    catalog.close()
    return {"seconds": time.perf_counter() - started, "docs": len(items)}


def run_list(args) -> dict[str, Any]:
    from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions

    source = UploadFolderSource("bench", UploadOptions(path=args.folder))
    started = time.perf_counter()
    count = sum(1 for _ in source.list_items(None, None))
    return {"seconds": time.perf_counter() - started, "docs": count}


def run_parse(args) -> dict[str, Any]:
    """Parse one DAG file with Airflow's DagBag: the first parse (imports included), then warm ones.

    Airflow and its authoring API are imported before the clock starts, as in the DAG processor's
    parsing process (forked from a processor that has them loaded); the DAG file's own imports
    (the provider) are part of the first parse, as Airflow pre-imports only ``airflow.*`` modules.
    """
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import DAG, BaseOperator  # noqa: F401
    from airflow.timetables.interval import CronDataIntervalTimetable  # noqa: F401

    timings, dags, errors = [], 0, {}
    for _ in range(args.repeats):
        started = time.perf_counter()
        bag = DagBag(dag_folder=args.dag_file, safe_mode=False)
        timings.append(time.perf_counter() - started)
        dags, errors = len(bag.dags), dict(bag.import_errors)
    return {"seconds": timings[0], "warm_seconds": timings[1:], "dags": dags, "import_errors": errors}


MODES = {"pipeline": run_pipeline, "copy": run_copy, "scan": run_scan, "seed": run_seed, "list": run_list,
         "parse": run_parse}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    p.add_argument("mode", choices=sorted(MODES))
    p.add_argument("--folder")
    p.add_argument("--store", default="s3", help="fs:<root folder> or s3 (the KMRL_S3_* server)")
    p.add_argument("--bucket")
    p.add_argument("--part-mib", type=int, default=8)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--clamd-host", default=os.environ.get("KMRL_CLAMD_HOST", "127.0.0.1"))
    p.add_argument("--clamd-port", type=int, default=int(os.environ.get("KMRL_CLAMD_PORT", 3310)))
    p.add_argument("--dsn")
    p.add_argument("--source", default="bench")
    p.add_argument("--raw")
    p.add_argument("--quarantine")
    p.add_argument("--checkpoint")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--max-file-size", type=int, default=512 * 1024 * 1024)
    p.add_argument("--spool")
    p.add_argument("--like-a-task", action="store_true")
    p.add_argument("--classifier", choices=("default", "none"), default="default")
    p.add_argument("--dag-file")
    p.add_argument("--repeats", type=int, default=5)
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    result = MODES[args.mode](args)
    result["peak_rss_bytes"] = peak_rss_self()
    result["cpu_self_total"] = time.process_time()  # this process, all threads, from interpreter start
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
