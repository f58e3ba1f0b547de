"""Ingest an SFTP folder in a process of its own, so a test can measure that process's peak RSS.

``python -m tests.integration.sftp.sftp_runner --conn-id ... --path ... --dsn ... --raw B --quarantine B``
The SFTP connection comes from ``AIRFLOW_CONN_<CONN_ID>`` in the environment, as in a task; the
store is the S3 server named by ``KMRL_S3_*``. Prints the run summary plus ``peak_rss_bytes``
(``VmHWM``: this process's own peak, which ``ru_maxrss`` would confuse with the parent's at fork).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from tests.ingest_runner import peak_rss


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--conn-id", required=True)
    p.add_argument("--path", required=True)
    p.add_argument("--source", default="sftp_big")
    p.add_argument("--dsn", required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--quarantine", required=True)
    p.add_argument("--max-file-size", type=int, default=512 * 1024 * 1024)
    p.add_argument("--spool", required=True)
    p.add_argument("--concurrency", type=int, default=4)
    args = p.parse_args(argv)

    # What an Airflow task process has imported before the operator runs.
    import airflow.sdk  # noqa: F401
    from minio import Minio

    import airflow_provider_kmrl.operators.ingest
    import airflow_provider_kmrl.runner  # noqa: F401
    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner
    from airflow_provider_kmrl.hooks.minio import parse_endpoint
    from airflow_provider_kmrl.hooks.stores import MinioStore
    from airflow_provider_kmrl.pipeline.catalog import Catalog
    from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
    from airflow_provider_kmrl.sources.sftp import SFTPOptions, SFTPSource
    from tests.helpers import MemoryCheckpoint

    endpoint, secure = parse_endpoint(os.environ["KMRL_S3_ENDPOINT"], None)
    store = MinioStore(Minio(endpoint, os.environ["KMRL_S3_ACCESS_KEY"], os.environ["KMRL_S3_SECRET_KEY"],
                             secure=secure), part_size=8 * 1024 * 1024)
    catalog = Catalog(args.dsn, max_connections=args.concurrency + 2)
    catalog.migrate()
    settings = IngestSettings(raw_bucket=args.raw, quarantine_bucket=args.quarantine,
                              concurrency=args.concurrency, max_file_size=args.max_file_size,
                              spool_dir=args.spool)
    scanner = ClamdScanner(ClamdAddress(host=os.environ.get("KMRL_CLAMD_HOST", "127.0.0.1"),
                                        port=int(os.environ.get("KMRL_CLAMD_PORT", 3310)), timeout=900))
    source = SFTPSource(args.source, SFTPOptions(path=args.path), conn_id=args.conn_id)
    try:
        summary = IngestEngine(catalog, scanner, store, settings=settings).run(source, MemoryCheckpoint())
    finally:
        source.close()
        catalog.close()
    result = summary.as_dict(max_ids=0)
    result["peak_rss_bytes"] = peak_rss()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
