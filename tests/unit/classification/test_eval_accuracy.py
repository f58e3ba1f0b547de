"""The CI gate: the rules must keep the labeled set at or above the accuracy targets.

Runs exactly what ``make eval`` runs (the module's command line, worker-process extraction,
libmagic types), so a rule edit that lowers any accuracy below its target fails the build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from airflow_provider_kmrl.classification.classifier import RulesClassifier
from airflow_provider_kmrl.maintenance.evaluate import TARGETS, evaluate, load_cases

EVAL_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "eval")


def test_the_labeled_set_covers_the_taxonomy():
    cases = load_cases(EVAL_DIR)
    assert len(cases) >= 60
    assert {c.expected["department"] for c in cases} >= {
        "engineering",
        "finance",
        "safety",
        "hr",
        "operations",
        "executive",
    }
    assert len({c.expected["doc_category"] for c in cases}) == 13
    assert {c.expected["language"] for c in cases} == {"en", "ml", "bilingual"}
    assert {os.path.splitext(c.path)[1] for c in cases} >= {
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".txt",
        ".csv",
        ".eml",
    }
    assert all(os.path.isfile(c.path) for c in cases)


def test_make_eval_meets_the_targets():
    done = subprocess.run(
        [sys.executable, "-m", "airflow_provider_kmrl.maintenance.evaluate", EVAL_DIR],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(done.stdout)
    accuracy = {
        m.group(1): float(m.group(2)) / 100
        for m in re.finditer(r"^\s+(\w+)\s+accuracy\s+([\d.]+)%", done.stdout, re.MULTILINE)
    }
    assert set(accuracy) == set(TARGETS), done.stdout + done.stderr
    for field, target in TARGETS.items():
        assert accuracy[field] >= target, f"{field} accuracy {accuracy[field]:.1%} is below {target:.0%}"
    assert done.returncode == 0 and "rows = expected, columns = predicted" in done.stdout


def test_a_rule_change_that_lowers_accuracy_fails(tmp_path):
    from airflow_provider_kmrl.classification.rules import DEFAULT_RULES_FILE

    with open(DEFAULT_RULES_FILE, encoding="utf-8") as fh:
        rules = fh.read()
    broken = tmp_path / "rules.yaml"  # a careless edit: categories now need far more evidence
    broken.write_text(
        rules.replace("doc_category: {min_score: 8.0", "doc_category: {min_score: 80.0"), "utf-8"
    )
    report = evaluate(load_cases(EVAL_DIR), RulesClassifier(str(broken), isolate=False))
    assert report.accuracy("doc_category") < TARGETS["doc_category"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "airflow_provider_kmrl.maintenance.evaluate",
            EVAL_DIR,
            "--rules",
            str(broken),
            "--inline",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1 and "BELOW" in done.stdout
