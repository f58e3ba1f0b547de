"""What a user gets from `pip install airflow-provider-kmrl` with no extras, in a fresh virtualenv."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UV = os.path.join(os.path.dirname(sys.executable), "uv")


def _accuracy(python: str, cwd: str) -> dict[str, str]:
    out = subprocess.run([python, "-m", "airflow_provider_kmrl.maintenance.evaluate", os.path.join(REPO, "tests", "eval")],
                         cwd=cwd, capture_output=True, text=True, timeout=900)
    found = dict(re.findall(r"^\s*(department|doc_category|language)\s+accuracy\s+([\d.]+)%", out.stdout, re.M))
    assert len(found) == 3, out.stdout[-2000:] + out.stderr[-2000:]
    return found


@pytest.mark.slow
def test_a_core_install_classifies_like_the_full_one(tmp_path):
    venv = tmp_path / "core"
    subprocess.run([UV, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    subprocess.run([UV, "pip", "install", "-q", "--python", python, "-c", os.path.join(REPO, "constraints.txt"),
                    "apache-airflow==3.3.2", REPO], check=True, timeout=900)
    installed = subprocess.run([python, "-c", "import airflow_provider_kmrl, importlib.metadata as m;"
                                "print(airflow_provider_kmrl.__file__); print(sorted(d.metadata['Name'].lower() "
                                "for d in m.distributions()))"],
                               cwd=str(tmp_path), capture_output=True, text=True, check=True).stdout
    assert str(venv) in installed.splitlines()[0], "the installed copy, not the checkout, is under test"
    assert "python-docx" not in installed and "apache-airflow-providers-imap" not in installed, "no extras"

    assert _accuracy(python, str(tmp_path)) == _accuracy(sys.executable, str(tmp_path))


def test_all_is_every_extra():
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        extras = tomllib.load(fh)["project"]["optional-dependencies"]
    all_of = set(re.search(r"\[(.*)\]", extras["all"][0]).group(1).split(","))
    assert all_of == set(extras) - {"all", "dev"}
