"""A source kind from another pip-installed package runs through the generated DAGs, unchanged."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.helpers import rows

pytestmark = pytest.mark.airflow
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(REPO, "tests", "fixtures", "kmrl_example_source")
BIN = os.path.dirname(sys.executable)


def _uv(*args: str) -> None:
    uv = os.path.join(BIN, "uv")
    subprocess.run([uv, "pip", *args, "--python", sys.executable, "-q"], check=True, timeout=300)


@pytest.fixture()
def notes_kind_installed():
    _uv("install", "--no-deps", "--reinstall", FIXTURE)
    try:
        yield
    finally:
        _uv("uninstall", "kmrl-example-source")


def test_an_installed_package_adds_a_kind_that_ingests_through_dag_test(notes_kind_installed, airflow_sources,
                                                                         tmp_path):
    src = airflow_sources
    name = src["name"].replace("uploads", "notes")
    with open(src["file"]) as fh:
        config = yaml.safe_load(fh)
    config["sources"] = [{"name": name, "kind": "notes", "schedule": None,
                          "options": {"notes": {"track-inspection.txt": "Track inspection near Aluva: all clear.\n" * 5,
                                                "signal-fault.txt": "Signal fault at Edappally, fixed.\n" * 5}}}]
    with open(src["file"], "w") as fh:
        yaml.safe_dump(config, fh)

    # A fresh interpreter reads the installed entry points, as a scheduler or worker would.
    code = ("from airflow_provider_kmrl.dags import build_dags; import sys; "
            f"run = build_dags({src['file']!r})['kmrl_ingest__{name}'].test(); "
            "sys.exit(0 if run.state == 'success' else 1)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **src["env"]}, cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    found = {r["file_name"]: r for r in rows(src["pg_dsn"], name)}
    assert sorted(found) == ["signal-fault.txt", "track-inspection.txt"]
    assert {r["status"] for r in found.values()} == {"success"}
    assert {r["scan_status"] for r in found.values()} == {"clean"}
