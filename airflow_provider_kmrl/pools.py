"""Create or resize the per-source Airflow pools the backfill DAGs run in.

``python -m airflow_provider_kmrl.pools [kmrl_sources.yaml]`` (run it where the ``airflow`` CLI
works, after changing ``backfill_pool_slots``): one pool ``kmrl_source__<name>`` per source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from airflow_provider_kmrl.config import default_sources_path, load_sources


def pool_name(source: str) -> str:
    """The Airflow pool bounding concurrent backfill runs against one source."""
    return f"kmrl_source__{source}"


def pool_definitions(sources_file: str) -> dict[str, dict]:
    config = load_sources(sources_file)
    return {
        pool_name(s.name): {"slots": s.setting(config.defaults, "backfill_pool_slots"),
                            "description": f"Bounds backfill load on the KMRL source '{s.name}'",
                            "include_deferred": False}
        for s in config.sources
    }


def main(argv: list[str]) -> int:
    sources_file = argv[0] if argv else default_sources_path()
    pools = pool_definitions(sources_file)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(pools, fh)
    try:
        airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
        done = subprocess.run([airflow if os.path.exists(airflow) else "airflow", "pools", "import", fh.name])
    finally:
        os.unlink(fh.name)
    print("\n".join(f"{name}: {p['slots']} slots" for name, p in pools.items()))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
