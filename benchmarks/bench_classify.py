"""Per-document cost of understanding documents: text extraction and classification.

Runs over the labeled evaluation set (``tests/eval``), every document as ingest handles it:
type from libmagic, text extracted in the bounded worker processes (warm pool, as during a run),
then language, department and category from the rules. Each document is measured ``repeats``
times and its median kept; the table shows the median and p95 over documents, per stage and per
format. For scale it also times what ingest already spends on each document: SHA-256 and the
clamd INSTREAM scan (when clamd is reachable). Writes ``benchmarks/results/classify.json``.

``python -m benchmarks.bench_classify [--repeats N] [--eval-dir DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(REPO, "benchmarks", "results", "classify.json")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 3),
        "p95_ms": round(percentile(values, 95) * 1000, 3),
        "mean_ms": round(statistics.fmean(values) * 1000, 3),
        "max_ms": round(max(values) * 1000, 3),
    }


def _median_of(repeats: int, step: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _scanner():
    """A clamd scanner at the address scripts/services.sh reports, or ``None`` if none answers."""
    import shlex
    import subprocess

    from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner

    try:
        out = subprocess.run(
            [os.path.join(REPO, "scripts", "services.sh"), "env"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        env = {
            k[len("export ") :]: shlex.split(v)[0]
            for k, _, v in (line.partition("=") for line in out.splitlines())
            if k.startswith("export ") and v
        }
        scanner = ClamdScanner(
            ClamdAddress(env.get("KMRL_CLAMD_HOST", "127.0.0.1"), int(env.get("KMRL_CLAMD_PORT", 3310)))
        )
        scanner.ping()
        return scanner
    except Exception:  # the reference column is optional
        return None


def _measure_case(case, repeats: int, pool, classifier, scanner) -> dict[str, float]:
    """Median seconds of each stage for one document (the stages run as ingest runs them)."""
    from airflow_provider_kmrl.classification.extractors import extract_file
    from airflow_provider_kmrl.pipeline.detect import sniff_mime

    path, name = case.path, os.path.basename(case.path)
    with open(path, "rb") as fh:
        mime = sniff_mime(path, fh.read(64 * 1024))
    t_worker, extracted = _median_of(repeats, lambda: pool.extract(path, mime, name))
    t_inline, _ = _median_of(repeats, lambda: extract_file(path, mime, name, classifier.limits))
    t_rules, _ = _median_of(repeats, lambda: classifier.analyse_extracted(extracted, name, case.metadata))
    times = {
        "extract (worker)": t_worker,
        "extract (in process)": t_inline,
        "classify": t_rules,
        "extract + classify": t_worker + t_rules,
        "sha256": _median_of(repeats, lambda: _sha256(path))[0],
    }
    if scanner is not None:
        times["clamd scan"] = _median_of(repeats, lambda: scanner.scan_file(path))[0]
    return times


def measure(eval_dir: str, repeats: int) -> dict[str, Any]:
    from airflow_provider_kmrl.classification.classifier import RulesClassifier
    from airflow_provider_kmrl.classification.isolation import ExtractorPool
    from airflow_provider_kmrl.maintenance.evaluate import load_cases

    cases = load_cases(eval_dir)
    classifier = RulesClassifier()
    pool = ExtractorPool(classifier.limits)
    started = time.perf_counter()
    pool.extract(cases[0].path, "text/plain", "warm-up.txt")  # starts the one worker the loop reuses
    worker_start = time.perf_counter() - started
    scanner = _scanner()
    stages: dict[str, list[float]] = {
        "extract (worker)": [],
        "extract (in process)": [],
        "classify": [],
        "extract + classify": [],
        "sha256": [],
    }
    if scanner is not None:
        stages["clamd scan"] = []
    by_format: dict[str, list[float]] = {}
    try:
        for case in cases:
            times = _measure_case(case, repeats, pool, classifier, scanner)
            for stage, seconds in times.items():
                stages[stage].append(seconds)
            fmt = case.path.rsplit(".", 1)[-1].lower()
            by_format.setdefault(fmt, []).append(times["extract + classify"])
    finally:
        pool.close()
    return {
        "classifier_version": classifier.version,
        "documents": len(cases),
        "repeats": repeats,
        "eval_dir": os.path.relpath(eval_dir, REPO),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "worker_start_ms": round(worker_start * 1000, 1),
        "stages": {name: summary(values) for name, values in stages.items() if values},
        "by_format": {fmt: {"documents": len(v), **summary(v)} for fmt, v in sorted(by_format.items())},
    }


def format_result(result: dict[str, Any]) -> str:
    lines = [
        f"classification cost per document: {result['documents']} documents of {result['eval_dir']}, "
        f"median of {result['repeats']} runs each; {result['classifier_version']}",
        f"(worker process start, once per pool worker: {result['worker_start_ms']} ms)",
        "",
        f"{'stage':<24}{'median ms':>11}{'p95 ms':>10}{'mean ms':>10}{'max ms':>10}",
    ]
    for name, s in result["stages"].items():
        lines.append(
            f"{name:<24}{s['median_ms']:>11.2f}{s['p95_ms']:>10.2f}{s['mean_ms']:>10.2f}{s['max_ms']:>10.2f}"
        )
    lines += ["", f"{'format (extract+classify)':<26}{'docs':>5}{'median ms':>11}{'p95 ms':>10}"]
    for fmt, s in result["by_format"].items():
        lines.append(f"{fmt:<26}{s['documents']:>5}{s['median_ms']:>11.2f}{s['p95_ms']:>10.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="per-document extraction and classification cost")
    parser.add_argument("--eval-dir", default=os.path.join(REPO, "tests", "eval"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", default=RESULTS)
    args = parser.parse_args(argv if argv is not None else [])
    result = measure(args.eval_dir, args.repeats)
    print(format_result(result))
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
    print(f"\nwritten to {os.path.relpath(args.output, REPO)}")
    return result


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
