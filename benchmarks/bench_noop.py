"""An incremental run with nothing new: 10,000 documents already ingested, behind the checkpoint.

The rows and the checkpoint a finished ingest leaves are seeded through the catalog (10,000 real
ingests would cost minutes of the benchmark's budget; the ingest itself is measured by
``bench_upload``), then the ingest task runs. Goal: the no-op run's source work (``engine.run``) under 2 s. Baseline: listing
the folder alone (the source's own walk), which the no-op run cannot avoid: for upload folders the
documents table, not the cursor, decides what is new.
"""

from __future__ import annotations

import argparse
import os
import shutil

from benchmarks import data
from benchmarks.bench_upload import work_dir
from benchmarks.common import (
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


def _pipeline(folder: str, dsn: str, raw: str, quar: str, scratch: str) -> dict:
    return run_child(["benchmarks.worker", "pipeline", "--folder", folder, "--store", "s3", "--dsn", dsn,
                      "--raw", raw, "--quarantine", quar, "--checkpoint", os.path.join(scratch, "cp.json"),
                      "--spool", os.path.join(scratch, "spool"), "--concurrency", "4", "--like-a-task"])


def noop_case(env: dict[str, str], count: int) -> Case:
    case = Case("noop", f"incremental run over {count} documents already ingested (S3 store)")
    scratch = work_dir()
    try:
        folder = os.path.join(scratch, "uploads")
        data.write_small_docs(folder, count, 1024, seed=3)
        nbytes = count * 1024
        with fresh_database(env) as dsn, s3_buckets(env, "raw", "quar") as (raw, quar):
            seeded = run_child(["benchmarks.worker", "seed", "--folder", folder, "--dsn", dsn, "--source", "bench",
                                "--checkpoint", os.path.join(scratch, "cp.json")])
            if seeded["docs"] != count:
                raise BenchError(f"seeding should record all {count}, recorded {seeded['docs']}")
            case.runs.append(Run.of("seed rows", seeded, count, nbytes))
            listing = run_child(["benchmarks.worker", "list", "--folder", folder])
            case.runs.append(Run.of("list folder", listing, listing["docs"], 0))
            again = _pipeline(folder, dsn, raw, quar, scratch)
            summary = again["summary"]
            if summary["processed"] != 0 or summary["skipped_known"] != count:
                raise BenchError(f"the no-op run should skip all {count}: {summary}")
            case.runs.append(Run.of("no-op run", again, count, 0, process_seconds=round(again["process_seconds"], 2),
                                    checkpoint_saves=again["checkpoint_saves"]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    noop = case.run("no-op run")
    case.goals.append(Goal("no-op run, engine.run() wall time", noop.seconds, 2.0, " s", higher_is_better=False))
    case.notes.append(f"whole task process including interpreter start and imports: "
                      f"{noop.extra['process_seconds']} s; checkpoint writes: {noop.extra['checkpoint_saves']}")
    case.notes.append(f"no-op / listing alone: {noop.seconds / case.run('list folder').seconds:.1f}x the time")
    return case


def main(argv: list[str] | None = None) -> list[Case]:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_noop")
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--shared", action="store_true", help="use the shared clamd and S3 server, not private ones")
    args = p.parse_args(argv or [])
    with bench_services(args.shared) as env:
        case = noop_case(env, args.count)
        print_case(case)
        write_results("noop", [case], env)
    return [case]


if __name__ == "__main__":
    import sys

    from benchmarks.common import stop_on_sigterm

    stop_on_sigterm()
    main(sys.argv[1:])
