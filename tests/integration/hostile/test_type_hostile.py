"""Type checks that a hostile name or archive cannot talk past."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile

import pytest

from airflow_provider_kmrl.pipeline.detect import check_type
from tests import corpus

SCRIPT = b"#!/bin/sh\necho pwned\n" + b"# padding\n" * 50


@pytest.mark.parametrize("name,stored_ext", [
    ("payload.js.", "js"),
    ("run.vbs ", "vbs"),
    ("run.vbs . .", "vbs"),
    ("invoice.pdf\u202egnp.js", "js"),  # right-to-left override hides the real ending
    ("notes\x00.txt.exe", "exe"),
])
def test_the_extension_judged_is_the_one_the_stored_name_ends_with(tmp_path, name, stored_ext):
    path = tmp_path / "doc"
    path.write_bytes(b"plain words only\n" * 40)
    result = check_type(str(path), path.read_bytes(), name)
    assert not result.allowed, (name, result)
    assert f".{stored_ext}" in (result.reason or "")


def test_plain_text_without_an_extension_is_still_allowed(tmp_path):
    path = tmp_path / "doc"
    path.write_bytes(b"plain words only\n" * 40)
    assert check_type(str(path), path.read_bytes(), "README").allowed


def _zip_with_entries(path, count: int) -> None:
    """A ZIP64 archive of ``count`` empty members that looks like a .docx, written directly."""
    names = [b"[Content_Types].xml", b"word/document.xml"] + [f"{n:06x}".encode() for n in range(count - 2)]
    with open(path, "wb") as out:
        central = io.BytesIO()
        offset = 0
        for name in names:
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name
            out.write(local)
            central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0,
                                      len(name), 0, 0, 0, 0, 0, offset) + name)
            offset += len(local)
        directory = central.getvalue()
        out.write(directory)
        zip64_at = offset + len(directory)
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(directory), offset))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))


@pytest.mark.slow
def test_a_central_directory_bomb_is_refused_in_bounded_memory(tmp_path):
    bomb = tmp_path / "report.docx"
    _zip_with_entries(bomb, 500_000)
    code = (
        "import sys, json\n"
        "from airflow_provider_kmrl.pipeline.detect import check_type\n"
        "p = sys.argv[1]\n"
        "r = check_type(p, open(p, 'rb').read(65536), 'report.docx')\n"
        "rss = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'allowed': r.allowed, 'reason': r.reason, 'rss_kb': int(rss)}))\n"
    )
    baseline = subprocess.run([sys.executable, "-c", code.replace("r = check_type", "r = None and check_type")
                               .replace("r.allowed", "None").replace("r.reason", "None"), str(bomb)],
                              capture_output=True, text=True, check=True)
    done = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, check=True)
    import json

    result, base = json.loads(done.stdout), json.loads(baseline.stdout)
    assert result["allowed"] is False and "not inspected" in result["reason"], result
    assert result["rss_kb"] < 256 * 1024, result
    assert result["rss_kb"] - base["rss_kb"] < 32 * 1024, (result, base)


def _ooxml(path, names: list[str]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            z.writestr(name, b"x")


@pytest.mark.parametrize("name,parts", [
    ("budget.xlsm", ["xl/workbook.xml"]),
    ("budget.xlsx", ["xl/workbook.xml", "xl/vbaProject.bin"]),
    ("letter.docm", ["word/document.xml", "word/vbaProject.bin"]),
    ("deck.pptm", ["ppt/presentation.xml"]),
])
def test_macro_enabled_office_files_are_refused_unless_allowed(tmp_path, name, parts):
    path = tmp_path / name
    _ooxml(path, parts)
    head = path.read_bytes()[:65536]
    refused = check_type(str(path), head, name)
    assert not refused.allowed and "macro-enabled" in refused.reason
    if name.endswith(("m",)):
        assert check_type(str(path), head, name, allow_macros=True).allowed


def test_ordinary_office_files_still_pass(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(corpus.minimal_xlsx([["x", 1]]))
    with open(path, "rb") as fh:
        assert check_type(fh, fh.read(65536), "b.xlsx").allowed, "a file object works as well as a path"
    assert os.path.getsize(path) > 0
