"""Run the ingest engine on an upload folder in its own process (to be killed or measured by tests).

``python -m tests.ingest_runner --dsn ... --folder ... --store fs:<root>|minio --raw B --quarantine B``
The checkpoint lives in a JSON file written atomically, as a Variable would be.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


class FileCheckpoint:
    def __init__(self, path: str) -> None:
        self.path = path

    def load(self):
        try:
            with open(self.path) as fh:
                return json.load(fh)
        except FileNotFoundError:
            return None

    def save(self, value) -> None:
        tmp = f"{self.path}.tmp"
        with open(tmp, "w") as fh:
            json.dump(value, fh)
        os.replace(tmp, self.path)


def _store(spec: str):
    from airflow_provider_kmrl.hooks.stores import LocalFolderStore, MinioStore

    if spec.startswith("fs:"):
        return LocalFolderStore(spec[3:])
    from minio import Minio

    from airflow_provider_kmrl.hooks.minio import parse_endpoint

    endpoint, secure = parse_endpoint(os.environ["KMRL_S3_ENDPOINT"], None)
    client = Minio(endpoint, os.environ["KMRL_S3_ACCESS_KEY"], os.environ["KMRL_S3_SECRET_KEY"], secure=secure)
    return MinioStore(client, part_size=16 * 1024 * 1024)


def peak_rss() -> int:
    """VmHWM: this process's own peak resident set (ru_maxrss would include the parent's at fork)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def main(argv: list[str]) -> int:
    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
    from airflow_provider_kmrl.sources.upload import UploadFolderSource, UploadOptions

    p = argparse.ArgumentParser()
    p.add_argument("--dsn", required=True)
    p.add_argument("--folder", required=True)
    p.add_argument("--source", default="uploads")
    p.add_argument("--store", required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--quarantine", required=True)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--clamd-port", type=int, default=int(os.environ.get("KMRL_CLAMD_PORT", 3310)))
    p.add_argument("--batch-size", type=int, default=20)
    p.add_argument("--concurrency", type=int, default=2)
    p.add_argument("--max-file-size", type=int, default=512 * 1024 * 1024)
    p.add_argument("--spool", default=None)
    p.add_argument("--like-a-task", action="store_true",
                   help="import what an Airflow task process imports (Task SDK, the operator) first")
    args = p.parse_args(argv)
    if args.like_a_task:
        import airflow.sdk  # noqa: F401

        import airflow_provider_kmrl.operators.ingest
        import airflow_provider_kmrl.runner  # noqa: F401

    catalog = Catalog(args.dsn, max_connections=args.concurrency + 2)
    catalog.migrate()
    settings = IngestSettings(raw_bucket=args.raw, quarantine_bucket=args.quarantine, batch_size=args.batch_size,
                              concurrency=args.concurrency, max_file_size=args.max_file_size)
    if args.spool:
        settings.spool_dir = args.spool
    scanner = ClamdScanner(ClamdAddress(host="127.0.0.1", port=args.clamd_port, timeout=600))
    engine = IngestEngine(catalog, scanner, _store(args.store), settings=settings)
    summary = engine.run(UploadFolderSource(args.source, UploadOptions(path=args.folder)),
                         FileCheckpoint(args.checkpoint))
    catalog.close()
    result = summary.as_dict(max_ids=0)
    result["peak_rss_bytes"] = peak_rss()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
