"""Measure the classifier on a labeled set: accuracy per field and confusion tables.

``python -m airflow_provider_kmrl.maintenance.evaluate tests/eval`` reads ``labels.csv`` in
that folder — columns ``path`` (relative to the folder), ``department``, ``doc_category``,
``language`` and optionally ``metadata`` (a JSON object of source metadata, e.g.
``{"worktype": "PM"}``) — classifies each file exactly as ingest does (type from libmagic,
extraction in the bounded worker processes) and prints the report. It exits with status 1 when
an accuracy is under its target (``--min-*``), so a rule change that lowers them fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from airflow_provider_kmrl.classification.classifier import Analysis, RulesClassifier
from airflow_provider_kmrl.classification.extractors import ExtractLimits
from airflow_provider_kmrl.classification.rules import CATEGORIES, DEPARTMENTS

FIELDS = ("department", "doc_category", "language")
TARGETS = {"department": 0.90, "doc_category": 0.85, "language": 0.97}
LABELS = {
    "department": (*DEPARTMENTS, "unknown"),
    "doc_category": (*CATEGORIES, "other"),
    "language": ("en", "ml", "bilingual", "unknown"),
}


@dataclass(frozen=True)
class Case:
    path: str
    expected: dict[str, str]
    metadata: dict = field(default_factory=dict)


@dataclass
class Result:
    case: Case
    predicted: dict[str, str]
    analysis: Analysis
    seconds: float


@dataclass
class Report:
    results: list[Result]
    classifier_version: str

    def accuracy(self, name: str) -> float:
        scored = [r for r in self.results if r.case.expected.get(name)]
        return (
            sum(r.predicted[name] == r.case.expected[name] for r in scored) / len(scored) if scored else 0.0
        )

    def confusion(self, name: str) -> Counter[tuple[str, str]]:
        return Counter(
            (r.case.expected[name], r.predicted[name]) for r in self.results if r.case.expected.get(name)
        )

    def misses(self) -> list[Result]:
        return [
            r
            for r in self.results
            if any(r.case.expected.get(f) and r.predicted[f] != r.case.expected[f] for f in FIELDS)
        ]


def load_cases(folder: str) -> list[Case]:
    """Rows of ``<folder>/labels.csv``; ``file`` and ``category`` are accepted as column names too."""
    path = os.path.join(folder, "labels.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cases = []
    for number, row in enumerate(rows, start=2):
        rel = row.get("path") or row.get("file")
        if not rel:
            raise ValueError(f"{path}:{number}: no path")
        expected = {
            "department": (row.get("department") or "").strip(),
            "doc_category": (row.get("doc_category") or row.get("category") or "").strip(),
            "language": (row.get("language") or "").strip(),
        }
        for name, value in expected.items():
            if value and value not in LABELS[name]:
                raise ValueError(f"{path}:{number}: {name} {value!r} is not one of {', '.join(LABELS[name])}")
        metadata = json.loads(row["metadata"]) if (row.get("metadata") or "").strip() else {}
        cases.append(Case(os.path.join(folder, rel), expected, metadata))
    return cases


def evaluate(cases: Sequence[Case], classifier: RulesClassifier) -> Report:
    from airflow_provider_kmrl.core.types import ClassifyInput
    from airflow_provider_kmrl.pipeline.detect import sniff_mime

    results = []
    for case in cases:
        with open(case.path, "rb") as fh:
            head = fh.read(64 * 1024)
        mime = sniff_mime(case.path, head)
        started = time.perf_counter()
        analysis = classifier.analyse(
            ClassifyInput(case.path, mime, os.path.basename(case.path), case.metadata)
        )
        seconds = time.perf_counter() - started
        c = analysis.classification
        predicted = {"department": c.department, "doc_category": c.doc_category, "language": c.language}
        results.append(Result(case, predicted, analysis, seconds))
    return Report(results, classifier.version)


def format_report(report: Report, folder: str, explain: bool = False) -> str:
    lines = [f"classifier {report.classifier_version} on {len(report.results)} documents in {folder}", ""]
    for name in FIELDS:
        target = TARGETS[name]
        acc = report.accuracy(name)
        lines.append(
            f"  {name:<13} accuracy {acc:7.2%}   target {target:.0%}   {'ok' if acc >= target else 'BELOW'}"
        )
    lines.append("")
    for name in FIELDS:
        lines += _confusion_table(report, name) + [""]
    misses = report.misses()
    lines.append(f"misclassified: {len(misses)}")
    for r in misses:
        wrong = ", ".join(
            f"{f} {r.case.expected[f]} -> {r.predicted[f]}"
            for f in FIELDS
            if r.case.expected.get(f) and r.predicted[f] != r.case.expected[f]
        )
        lines.append(f"  {os.path.relpath(r.case.path, folder)}: {wrong}")
        if explain:
            lines += _explain(r)
    return "\n".join(lines)


def _confusion_table(report: Report, name: str) -> list[str]:
    counts = report.confusion(name)
    labels = [lab for lab in LABELS[name] if any(lab in pair for pair in counts)]
    width = max(len(lab) for lab in labels)
    short = [lab[:6] for lab in labels]
    lines = [
        f"{name}: rows = expected, columns = predicted",
        " " * (width + 2) + " ".join(f"{s:>6}" for s in short),
    ]
    for expected in labels:
        cells = [counts.get((expected, got), 0) for got in labels]
        lines.append(f"  {expected:<{width}}" + " ".join(f"{c if c else '.':>6}" for c in cells))
    return lines


def _explain(r: Result) -> list[str]:
    a = r.analysis
    out = []
    for title, result in (("department", a.department), ("doc_category", a.category)):
        top = sorted(result.scores.items(), key=lambda kv: -kv[1])[:3]
        out.append(f"      {title}: conf {result.confidence:.2f} scores {top}")
        for label, _score in top[:2]:
            out.append(f"        {label}: {', '.join(result.reasons.get(label, [])[:8])}")
    out.append(
        f"      language: ml={a.language.malayalam_letters} latin={a.language.latin_letters}"
        f" extraction={a.extracted.method} error={a.extracted.error}"
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="folder with labels.csv and the documents it names")
    parser.add_argument("--rules", help="rule file (default: $KMRL_RULES_FILE or the packaged rules)")
    parser.add_argument("--explain", action="store_true", help="show the evidence behind each miss")
    parser.add_argument("--json", dest="json_out", help="also write the results as JSON to this file")
    parser.add_argument("--inline", action="store_true", help="extract in this process (no worker processes)")
    parser.add_argument("--ocr", action="store_true", help="OCR images and scanned PDFs with tesseract")
    parser.add_argument("--no-check", action="store_true", help="report only; never fail on the targets")
    for name in FIELDS:
        parser.add_argument(
            f"--min-{name.replace('_', '-')}", type=float, default=TARGETS[name], dest=f"min_{name}"
        )
    args = parser.parse_args(argv)
    for name in FIELDS:
        TARGETS[name] = getattr(args, f"min_{name}")
    classifier = RulesClassifier(args.rules, limits=ExtractLimits(ocr=args.ocr), isolate=not args.inline)
    report = evaluate(load_cases(args.folder), classifier)
    print(format_report(report, args.folder, args.explain))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "classifier_version": report.classifier_version,
                    "accuracy": {f: report.accuracy(f) for f in FIELDS},
                    "documents": [
                        {
                            "path": r.case.path,
                            "expected": r.case.expected,
                            "predicted": r.predicted,
                            "seconds": r.seconds,
                        }
                        for r in report.results
                    ],
                },
                fh,
                indent=1,
            )
    below = [f for f in FIELDS if report.accuracy(f) < TARGETS[f]]
    return 1 if below and not args.no_check else 0


if __name__ == "__main__":
    sys.exit(main())
