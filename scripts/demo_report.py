"""Print what `make demo` landed where: documents by status, one line per document, store folders.

Usage (scripts/demo.sh calls it):
    python scripts/demo_report.py --dsn postgresql://... --store <store root>
        [--source uploads] [--raw-bucket kmrl-raw] [--quarantine-bucket kmrl-quarantine]
        [--run-id <airflow run id>]

Reads only: the documents table and the store folders. Standard library plus psycopg2 (which the
provider already needs).
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from urllib.parse import unquote

import psycopg2

NAME_WIDTH = 44
REASON_WIDTH = 46
OBJECT_WIDTH = 100


def printable(text: str | None, width: int | None = None) -> str:
    """Show control and bidi-format characters as escapes (a file name must not mess up the
    terminal), keep every other script (Malayalam) as is, and shorten long values."""
    if text is None:
        return "-"
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    shown = "".join(out)
    if width and len(shown) > width:
        shown = shown[: width - 1] + "…"
    return shown


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(headers), line, *(fmt(r) for r in rows)])


def section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 96 - len(title)))


def short_uri(uri: str | None, store_root: str) -> str:
    """`file://<store root>/bucket/key` -> `bucket/key`: the root is printed once above the table."""
    if not uri:
        return "-"
    if uri.startswith("file://"):
        path = unquote(uri[len("file://"):])
        root = os.path.abspath(store_root) + os.sep
        if path.startswith(root):
            return middle(printable(path[len(root):]), OBJECT_WIDTH)
    return middle(printable(uri), OBJECT_WIDTH)


def middle(text: str, width: int) -> str:
    """Shorten in the middle: the bucket/date prefix and the file name both stay visible."""
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep // 2] + "…" + text[len(text) - (keep - keep // 2):]


def documents_report(conn, source: str, store_root: str, run_id: str | None) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('documents') IS NOT NULL")
        if not cur.fetchone()[0]:
            section("Documents")
            print("no documents table yet (the ingest task creates it on its first run)")
            return

        section(f"Documents of source '{source}' by status")
        cur.execute(
            "SELECT status, count(*) FROM documents WHERE source_system = %s GROUP BY status ORDER BY status",
            (source,),
        )
        counts = cur.fetchall()
        total = sum(n for _, n in counts)
        print(table(["status", "count"], [[s, str(n)] for s, n in counts] + [["total", str(total)]]))
        if run_id:
            cur.execute(
                "SELECT count(DISTINCT document_id) FROM document_events WHERE run_id = %s", (run_id,)
            )
            print(f"\ndocuments written by run {run_id}: {cur.fetchone()[0]}")

        section("Per document (object paths are relative to the store root)")
        # A duplicate's reason names the original by id; its path says more here.
        cur.execute(
            """
            SELECT coalesce(d.source_metadata->>'path', d.file_name), d.status,
                   CASE WHEN d.status = 'duplicate' AND o.id IS NOT NULL
                        THEN 'same content as ' || coalesce(o.source_metadata->>'path', o.file_name)
                        ELSE coalesce(d.rejection_reason, '') END,
                   d.language, d.department, d.doc_category, d.object_uri
              FROM documents d LEFT JOIN documents o ON o.id = d.duplicate_of
             WHERE d.source_system = %s
             ORDER BY d.status, coalesce(d.source_metadata->>'path', d.file_name)
            """,
            (source,),
        )
        rows = [
            [printable(path, NAME_WIDTH), status, printable(reason, REASON_WIDTH) or "-", language,
             f"{department}/{category}", short_uri(uri, store_root)]
            for path, status, reason, language, department, category, uri in cur.fetchall()
        ]
        headers = ["file (in the upload folder)", "status", "reason", "lang", "dept/category", "object"]
        print(table(headers, rows))


def store_report(store_root: str, buckets: list[str]) -> None:
    section(f"Object store (local folder): {store_root}")
    rows = []
    for bucket in buckets:
        folder = os.path.join(store_root, bucket)
        count = size = 0
        for parent, _dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(".part-"):  # an upload in progress, not an object
                    continue
                count += 1
                size += os.lstat(os.path.join(parent, name)).st_size
        rows.append([bucket, folder if os.path.isdir(folder) else folder + " (not created yet)",
                     str(count), str(size)])
    print(table(["bucket", "folder", "objects", "bytes"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="libpq URI of the documents database")
    parser.add_argument("--store", required=True, help="root folder of the fs object store")
    parser.add_argument("--source", default="uploads")
    parser.add_argument("--raw-bucket", default="kmrl-raw")
    parser.add_argument("--quarantine-bucket", default="kmrl-quarantine")
    parser.add_argument("--run-id", help="also count the documents this Airflow run wrote")
    args = parser.parse_args(argv)

    conn = psycopg2.connect(args.dsn)
    try:
        conn.set_session(readonly=True, autocommit=True)
        documents_report(conn, args.source, args.store, args.run_id)
    finally:
        conn.close()
    store_report(args.store, [args.raw_bucket, args.quarantine_bucket])
    return 0


if __name__ == "__main__":
    sys.exit(main())
