"""The extraction worker process: reads requests on stdin, answers on stdout, one JSON line each.

Started by :mod:`airflow_provider_kmrl.classification.isolation` as
``python -m airflow_provider_kmrl.classification.worker <memory_mb>``. It caps its own address
space, so a file that would need gigabytes fails here with ``MemoryError`` instead of taking the
ingest task down; a file that hangs the parser is killed by the parent at its deadline. It
imports no Airflow.

A request that names a rule file (``rules``: path and digest) is also classified here, and only
the decision goes back: scoring is the most CPU-hungry step of an ingest, and in the task
process it would hold the GIL that the task's I/O threads need. The worker loads each rule file
once; if the file on disk no longer has the digest the caller loaded, it answers with the text
instead and the caller scores it with its own rules.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from dataclasses import asdict
from typing import Any

from airflow_provider_kmrl.classification.extractors import Extracted, ExtractLimits, extract_file


def _cap_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))


_classifiers: dict[tuple[str, str], Any] = {}


def _classifier(rules: dict[str, str]) -> Any | None:
    """The caller's rules, loaded once per worker; ``None`` if the file has changed since."""
    key = (rules["path"], rules["digest"])
    if key not in _classifiers:
        from airflow_provider_kmrl.classification.classifier import RulesClassifier
        from airflow_provider_kmrl.classification.rules import load_rules

        loaded = load_rules(rules["path"])
        if loaded.digest != rules["digest"]:
            return None
        _classifiers[key] = RulesClassifier(rules=loaded, isolate=False)
    return _classifiers[key]


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The reply to one request: the extracted text, or the classification when rules are named."""
    try:
        result = extract_file(
            request["path"],
            request.get("mime_type", ""),
            request.get("file_name", ""),
            ExtractLimits(**request.get("limits", {})),
        )
    except MemoryError:
        result = Extracted(error="out of memory while extracting")
    except Exception as err:  # a bad request is answered, never fatal to the worker
        result = Extracted(error=f"{type(err).__name__}: {err}"[:300])
    if not request.get("rules"):
        return asdict(result)
    try:
        classifier = _classifier(request["rules"])
        if classifier is None:
            return {"extracted": asdict(result)}
        analysis = classifier.analyse_extracted(result, request.get("file_name", ""), request.get("metadata") or {})
    except MemoryError:
        return {"extracted": asdict(result)}
    except Exception as err:  # the caller scores it itself and logs why
        return {"extracted": asdict(result), "error": f"{type(err).__name__}: {err}"[:300]}
    return {"classification": asdict(analysis.classification), "extracted": {**asdict(result), "text": ""}}


def serve(requests, replies) -> None:
    for line in requests:
        try:
            reply = answer(json.loads(line))
        except Exception as err:  # an unreadable request line
            reply = asdict(Extracted(error=f"{type(err).__name__}: {err}"[:300]))
        replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
        replies.flush()


def main(argv: list[str]) -> int:
    _cap_memory(int(argv[0]) if argv else 0)
    # The protocol owns the original stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
