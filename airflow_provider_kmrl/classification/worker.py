"""The extraction worker process: reads requests on stdin, answers on stdout, one JSON line each.

Started by :mod:`airflow_provider_kmrl.classification.isolation` as
``python -m airflow_provider_kmrl.classification.worker <memory_mb>``. It caps its own address
space, so a file that would need gigabytes fails here with ``MemoryError`` instead of taking the
ingest task down; a file that hangs the parser is killed by the parent at its deadline. It
imports neither Airflow nor the provider's pipeline.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from dataclasses import asdict

from airflow_provider_kmrl.classification.extractors import Extracted, ExtractLimits, extract_file


def _cap_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))


def serve(requests, replies) -> None:
    for line in requests:
        try:
            request = json.loads(line)
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
        replies.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
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
