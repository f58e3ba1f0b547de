"""``make bench``: run every benchmark, ours first, then every other ``benchmarks/bench_*.py``.

``python -m benchmarks [NAME ...]`` runs only the named modules (``upload``, ``noop``, ``parse``,
``imap``, ...). A module that fails is reported and the others still run; the exit status is 1 if
any failed. Each module prints its tables and writes ``benchmarks/results/<name>.json``; this
runner adds ``benchmarks/results/summary.json`` with every goal and how long each module took.
"""

from __future__ import annotations

import glob
import importlib
import inspect
import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone

from benchmarks.common import RESULTS_DIR, Case, format_table, machine, stop_on_sigterm

OWN = ("bench_upload", "bench_noop", "bench_parse")


def modules(wanted: list[str]) -> list[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    others = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(here, "bench_*.py")))
    found = [*OWN, *(m for m in others if m not in OWN)]
    if not wanted:
        return found
    names = {w if w.startswith("bench_") else f"bench_{w}" for w in wanted}
    unknown = names - set(found)
    if unknown:
        raise SystemExit(f"unknown benchmarks {sorted(unknown)}; present: {', '.join(found)}")
    return [m for m in found if m in names]


def run(name: str) -> tuple[list[Case], str | None]:
    """Import ``benchmarks.<name>`` and call its ``main()``; a failure is returned, not raised."""
    saved_argv = sys.argv
    sys.argv = [f"benchmarks.{name}"]  # a module that reads sys.argv sees no options of ours
    try:
        module = importlib.import_module(f"benchmarks.{name}")
        result = module.main([]) if inspect.signature(module.main).parameters else module.main()
    except SystemExit as err:  # a module that exits early (argparse, a missing tool) is a failure too
        return [], f"exited: {err}"
    except Exception as err:
        traceback.print_exc()
        return [], f"{type(err).__name__}: {err}"
    finally:
        sys.argv = saved_argv
        sys.stdout.flush()
    cases = result if isinstance(result, list) else []
    return [c for c in cases if isinstance(c, Case)], None


def main(argv: list[str]) -> int:
    stop_on_sigterm()
    started = time.perf_counter()
    rows, goals, failures = [], [], {}
    for name in modules(argv):
        print(f"\n######## {name}", flush=True)
        t0 = time.perf_counter()
        cases, error = run(name)
        elapsed = time.perf_counter() - t0
        if error:
            failures[name] = error
        rows.append([name, f"{elapsed:.0f}", "FAILED: " + error[:70] if error else "ok"])
        for case in cases:
            goals += [{"module": name, "case": case.name, **g.as_dict()} for g in case.goals]
    total = time.perf_counter() - started
    print("\n######## summary")
    print(format_table(["module", "seconds", "result"], rows))
    for g in goals:
        verdict = "met" if g["met"] else f"MISSED by {g['shortfall']:.0%}"
        print(f"  {g['case']}: {g['what']}: {g['measured']:.3g}{g['unit']} "
              f"(goal {'>=' if g['higher_is_better'] else '<'} {g['target']:g}{g['unit']}) {verdict}")
    print(f"total {total:.0f} s")
    os.makedirs(RESULTS_DIR, exist_ok=True)
    with open(os.path.join(RESULTS_DIR, "summary.json"), "w") as fh:
        json.dump({"finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seconds": round(total),
                   "machine": machine(), "modules": {r[0]: {"seconds": float(r[1]), "result": r[2]} for r in rows},
                   "goals": goals, "failures": failures}, fh, indent=2)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
