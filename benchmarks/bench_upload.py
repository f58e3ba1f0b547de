"""Upload folder -> store: the full pipeline against a bare copy and clamd alone, side by side.

Cases (each in a fresh database, fresh buckets, on newly generated unique data):

- ``20k-fs`` / ``20k-s3``: 5,000 documents of 20 KiB into the local-folder store / the S3 server.
  Goal: pipeline >= 0.7x the slower of bare copy and clamd alone.
- ``100m-s3``: 20 documents of 100 MiB into the S3 server. Goal: >= 0.8x.
- ``2g-s3``: one document of 2 GiB - 4 KiB into the S3 server. Goal: task peak RSS < 256 MiB
  (no baselines: large-file throughput is the 100 MiB case's). clamd cannot scan a stream of
  2 GiB or more: its MaxFileSize is capped at 2 GiB - 3 bytes.

Baselines run with as many threads as the pipeline (4, the operator's default), so each is held to
what the store or the scanner does with the same parallelism. Classification is measured by
``bench_classify``; ``20k-fs`` also runs the pipeline without it, to show its share.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile

from benchmarks import data
from benchmarks.common import (
    MIB,
    BenchError,
    Case,
    Goal,
    Run,
    bench_services,
    fresh_database,
    print_case,
    run_child,
    s3_buckets,
    write_results,
)

KIB = 1024
GIB = 1024**3
CONCURRENCY = 4  # the operator's default
BATCH_SIZE = 100  # the operator's default


def work_dir() -> str:
    """Scratch space on the same disk as the services' state (never inside the repo's tracked tree)."""
    root = os.path.join(os.environ.get("KMRL_STATE_DIR") or os.path.join(tempfile.gettempdir()), "bench")
    os.makedirs(root, exist_ok=True)
    return tempfile.mkdtemp(prefix="upload-", dir=root)


def _copy(folder: str, store: str, bucket: str, concurrency: int) -> Run:
    out = run_child(["benchmarks.worker", "copy", "--folder", folder, "--store", store, "--bucket", bucket,
                     "--concurrency", str(concurrency)])
    return Run.of("bare copy", out, out["docs"], out["bytes"], threads=concurrency)


def _scan(folder: str, concurrency: int) -> Run:
    out = run_child(["benchmarks.worker", "scan", "--folder", folder, "--concurrency", str(concurrency)])
    if set(out["by_status"]) != {"clean"}:
        raise BenchError(f"clamd alone did not find every file clean: {out['by_status']}")
    return Run.of("clamd alone", out, out["docs"], out["bytes"], threads=concurrency)


def _pipeline(folder: str, store: str, dsn: str, raw: str, quarantine: str, scratch: str, expect: int,
              nbytes: int, max_file_size: int = 512 * 1024 * 1024, classifier: str = "default",
              source: str = "bench") -> Run:
    out = run_child(["benchmarks.worker", "pipeline", "--folder", folder, "--store", store, "--dsn", dsn,
                     "--raw", raw, "--quarantine", quarantine, "--source", source,
                     "--checkpoint", os.path.join(scratch, f"cp-{source}.json"),
                     "--spool", os.path.join(scratch, "spool"), "--concurrency", str(CONCURRENCY),
                     "--batch-size", str(BATCH_SIZE), "--max-file-size", str(max_file_size), "--like-a-task",
                     "--classifier", classifier])
    by_status = out["summary"]["by_status"]
    if by_status != {"success": expect}:
        raise BenchError(f"pipeline should store all {expect} documents, got {by_status}")
    label = "pipeline" if classifier == "default" else "pipeline, no classifier"
    return Run.of(label, out, expect, nbytes, threads=CONCURRENCY, batch_size=BATCH_SIZE,
                  setup_seconds=round(out["setup_seconds"], 3), classifier=out.get("classifier"))


def measure(case: Case, env: dict[str, str], paths: list[str], folder: str, store_kind: str,
            max_file_size: int = 512 * 1024 * 1024, without_classifier: bool = False,
            baselines: bool = True) -> None:
    """Bare copy, clamd alone and the pipeline over the same files (re-salted before each scan).

    With ``without_classifier`` the pipeline runs again on a fifth of the files (another source,
    new content) with classification left out, to show what classification costs.
    """
    scratch = os.path.dirname(folder)
    nbytes = sum(os.path.getsize(p) for p in paths)
    with fresh_database(env) as dsn, s3_buckets(env, "copy", "raw", "quar") as (copy_bucket, raw, quar):
        store = f"fs:{os.path.join(scratch, 'store')}" if store_kind == "fs" else "s3"
        if baselines:
            case.runs.append(_copy(folder, store, copy_bucket, CONCURRENCY))
            data.resalt(paths)
            case.runs.append(_scan(folder, CONCURRENCY))
        data.resalt(paths)
        case.runs.append(_pipeline(folder, store, dsn, raw, quar, scratch, len(paths), nbytes, max_file_size))
        if without_classifier:  # a fifth of the files is enough for a rate (and saves a minute)
            part = sorted(paths)[: max(1, len(paths) // 5)]
            data.resalt(part)
            sub = os.path.join(scratch, "part")
            os.makedirs(sub)
            for path in part:
                os.link(path, os.path.join(sub, os.path.basename(path)))
            case.runs.append(_pipeline(sub, store, dsn, raw, quar, scratch, len(part),
                                       sum(os.path.getsize(p) for p in part), max_file_size,
                                       classifier="none", source="bench_nc"))


def limit_of(case: Case) -> Run:
    """The slower of the two necessary stages: the pipeline can be no faster than it."""
    return min((case.run("bare copy"), case.run("clamd alone")), key=lambda r: r.docs_per_s)


def ratio_goal(case: Case, target: float) -> None:
    limit = limit_of(case)
    ratio = case.run("pipeline").docs_per_s / limit.docs_per_s
    case.goals.append(Goal(f"pipeline / {limit.label} (the slower necessary stage)", ratio, target, "x"))
    bare = [r for r in case.runs if r.label == "pipeline, no classifier"]
    if bare:
        case.notes.append(f"without classification: {bare[0].docs_per_s / limit.docs_per_s:.2f}x {limit.label}; "
                          f"classification costs {1 / case.run('pipeline').docs_per_s - 1 / bare[0].docs_per_s:.4f}"
                          f" s of wall time per document")


def small_case(env: dict[str, str], store_kind: str, count: int) -> Case:
    case = Case(f"20k-{store_kind}", f"{count} x 20 KiB, upload folder -> {store_kind} store")
    scratch = work_dir()
    try:
        folder = os.path.join(scratch, "uploads")
        paths = data.write_small_docs(folder, count, 20 * KIB)
        measure(case, env, paths, folder, store_kind, without_classifier=store_kind == "fs")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ratio_goal(case, 0.7)
    return case


def large_case(env: dict[str, str], count: int) -> Case:
    case = Case("100m-s3", f"{count} x 100 MiB, upload folder -> S3 store")
    scratch = work_dir()
    try:
        folder = os.path.join(scratch, "uploads")
        os.makedirs(folder)
        paths = []
        for i in range(count):
            paths.append(os.path.join(folder, f"survey-{i:02d}.pdf"))
            data.write_big_file(paths[-1], 100 * MIB, seed=i)
        measure(case, env, paths, folder, "s3")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ratio_goal(case, 0.8)
    return case


def huge_case(env: dict[str, str]) -> Case:
    size = 2 * GIB - 4 * KIB
    case = Case("2g-s3", "one file of 2 GiB - 4 KiB, upload folder -> S3 store (peak RSS)")
    case.notes.append("2 GiB - 4 KiB, not 2 GiB: clamd's MaxFileSize is capped at 2 GiB - 3 bytes, and a "
                      "file it cannot scan is quarantined as unscanned, not stored")
    scratch = work_dir()
    try:
        folder = os.path.join(scratch, "uploads")
        os.makedirs(folder)
        path = os.path.join(folder, "tunnel-survey.pdf")
        data.write_big_file(path, size)
        # Memory is the goal here; large-file throughput against the baselines is the 100m case.
        measure(case, env, [path], folder, "s3", max_file_size=3 * GIB, baselines=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    pipeline = case.run("pipeline")
    case.goals.append(Goal("pipeline task peak RSS", (pipeline.peak_rss or 0) / MIB, 256, " MiB",
                           higher_is_better=False))
    case.notes.append(f"with its helper processes (text extraction workers): {(pipeline.tree_rss or 0) / MIB:.0f} MiB "
                      "at the highest sample")
    return case


CASES = ("20k-fs", "20k-s3", "100m-s3", "2g-s3")


def main(argv: list[str] | None = None) -> list[Case]:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_upload")
    p.add_argument("cases", nargs="*", help=f"any of {', '.join(CASES)} (default: all)")
    p.add_argument("--small-count", type=int, default=5000)
    p.add_argument("--large-count", type=int, default=20)
    p.add_argument("--shared", action="store_true", help="use the shared clamd and S3 server, not private ones")
    args = p.parse_args(argv or [])
    wanted = args.cases or list(CASES)
    unknown = set(wanted) - set(CASES)
    if unknown:
        p.error(f"unknown cases {sorted(unknown)}; choose from {', '.join(CASES)}")
    cases: list[Case] = []
    with bench_services(args.shared) as env:
        for name in wanted:
            if name == "20k-fs":
                case = small_case(env, "fs", args.small_count)
            elif name == "20k-s3":
                case = small_case(env, "s3", args.small_count)
            elif name == "100m-s3":
                case = large_case(env, args.large_count)
            else:
                case = huge_case(env)
            print_case(case, limit_of(case).label if name != "2g-s3" else None)
            cases.append(case)
            write_results("upload", cases, env)
    return cases


if __name__ == "__main__":
    import sys

    from benchmarks.common import stop_on_sigterm

    stop_on_sigterm()
    main(sys.argv[1:])
