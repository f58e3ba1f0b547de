"""Profile the pipeline on a benchmark case with py-spy, to see where the time goes.

``python -m benchmarks.profile 20k-fs|20k-s3|100m-s3|noop [--count N] [--on-cpu] [--classifier none]``

Prepares the case's data as the benchmark does, runs the pipeline worker under
``py-spy record`` (all threads; waiting time included unless ``--on-cpu``), writes the collapsed
stacks to ``benchmarks/results/profile-<case>.txt`` (feed it to any flame-graph tool) and prints,
per thread group, the functions with the largest share of samples.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

from benchmarks import data
from benchmarks.bench_upload import KIB, MIB, work_dir
from benchmarks.common import RESULTS_DIR, bench_services, fresh_database, run_child, s3_buckets

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?):\d+\)$")


def py_spy() -> str:
    for candidate in (os.path.join(os.path.dirname(sys.executable), "py-spy"), shutil.which("py-spy")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("py-spy is not installed: uv pip install py-spy (it is in the dev extra)")


def summarise(collapsed: str, top: int = 25, focus: str = "IngestEngine.run") -> str:
    """Inclusive share of samples per function, per thread group (worker threads vs main).

    Only the main thread's samples inside ``focus`` count (interpreter start and imports are not the
    pipeline); worker threads only ever run pipeline work.
    """
    totals: collections.Counter[str] = collections.Counter()
    inclusive: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with open(collapsed) as fh:
        for line in fh:
            stack, _, count = line.rstrip().rpartition(" ")
            frames = stack.split(";")
            group = re.sub(r"_\d+$", "", re.sub(r"^thread \(\d+\): ", "", frames[0]))
            if not any(f.startswith(("IngestEngine.", "_WorkItem.run ")) for f in frames[1:]):
                continue  # interpreter start, imports, Airflow's own threads
            if group == "MainThread" and not any(f.startswith(focus + " ") for f in frames):
                continue
            totals[group] += int(count)
            for name in dict.fromkeys(_short(f) for f in frames[1:]):
                inclusive[group][name] += int(count)
    out = []
    for group, total in totals.most_common():
        out.append(f"-- {group}: {total} samples")
        skip = ("threading.py", "thread.py", "<frozen runpy>", "worker.py")
        shown = [(n, c) for n, c in inclusive[group].most_common() if not n.endswith(skip)]
        out += [f"  {100 * c / total:5.1f}%  {n}" for n, c in shown[:top]]
    return "\n".join(out)


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    return f"{match['func']}  {os.path.basename(match['file'])}"


def _prepare(case: str, folder: str, count: int | None) -> list[str]:
    if case in ("20k-fs", "20k-s3"):
        return data.write_small_docs(folder, count or 2000, 20 * KIB)
    if case == "noop":
        return data.write_small_docs(folder, count or 10_000, KIB, seed=3)
    os.makedirs(folder)
    paths = [os.path.join(folder, f"survey-{i:02d}.pdf") for i in range(count or 4)]
    for i, path in enumerate(paths):
        data.write_big_file(path, 100 * MIB, seed=i)
    return paths


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    p.add_argument("case", choices=["20k-fs", "20k-s3", "100m-s3", "noop"])
    p.add_argument("--count", type=int)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--classifier", choices=("default", "none"), default="default",
                   help="none: leave classification out, to see the rest of the pipeline")
    p.add_argument("--on-cpu", action="store_true", help="only samples where a thread runs (no waiting)")
    p.add_argument("--shared", action="store_true", help="use the shared clamd and S3 server, not private ones")
    args = p.parse_args(argv)
    spy = py_spy()
    with bench_services(args.shared) as env:
        _profile(args, env, spy)


def _profile(args: argparse.Namespace, env: dict[str, str], spy: str) -> None:
    scratch = work_dir()
    out = os.path.join(RESULTS_DIR, f"profile-{args.case}.txt")
    os.makedirs(RESULTS_DIR, exist_ok=True)
    try:
        folder = os.path.join(scratch, "uploads")
        _prepare(args.case, folder, args.count)
        with fresh_database(env) as dsn, s3_buckets(env, "raw", "quar") as (raw, quar):
            store = f"fs:{os.path.join(scratch, 'store')}" if args.case == "20k-fs" else "s3"
            worker = ["benchmarks.worker", "pipeline", "--folder", folder, "--store", store, "--dsn", dsn,
                      "--raw", raw, "--quarantine", quar, "--checkpoint", os.path.join(scratch, "cp.json"),
                      "--spool", os.path.join(scratch, "spool"), "--concurrency", str(args.concurrency),
                      "--like-a-task", "--classifier", args.classifier]
            if args.case == "noop":  # seed what a finished ingest leaves; the no-op run is the one profiled
                run_child(["benchmarks.worker", "seed", "--folder", folder, "--dsn", dsn, "--source", "bench",
                           "--checkpoint", os.path.join(scratch, "cp.json")])
            flags = ["--threads", "--rate", "200", "--format", "raw", "--output", out]
            if not args.on_cpu:
                flags.append("--idle")
            done = subprocess.run([spy, "record", *flags, "--", sys.executable, "-m", *worker],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"py-spy failed:\n{done.stderr[-3000:]}")
            print(done.stdout.strip().splitlines()[-1][:300])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(summarise(out))
    print(f"\ncollapsed stacks: {os.path.relpath(out)}")


if __name__ == "__main__":
    from benchmarks.common import stop_on_sigterm

    stop_on_sigterm()
    main(sys.argv[1:])
