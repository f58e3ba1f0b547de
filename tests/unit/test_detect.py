import os

import pytest

from airflow_provider_kmrl.pipeline.detect import check_type
from tests import corpus


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write(str(folder))
    return folder


@pytest.mark.parametrize(
    "relpath,allowed,mime_part",
    [
        ("finance/invoice-0042.pdf", True, "pdf"),
        ("engineering/inspection-report.docx", True, "wordprocessingml"),
        ("finance/budget-2026.xlsx", True, "spreadsheetml"),
        ("inbox/work-order-scan.pdf", False, "executable"),
        ("inbox/notes.pdf", False, "text/plain"),
        ("inbox/eicar-in-archive.zip", False, "zip"),
    ],
)
def test_magic_bytes_decide_not_the_name(files, relpath, allowed, mime_part):
    path = os.path.join(files, relpath)
    with open(path, "rb") as fh:
        head = fh.read(65536)
    result = check_type(path, head, os.path.basename(relpath))
    assert result.allowed is allowed, result
    assert mime_part in result.mime_type


def test_ooxml_detected_whatever_the_member_order(tmp_path):
    import zipfile

    source = tmp_path / "a.xlsx"
    source.write_bytes(corpus.minimal_xlsx([["x", 1]]))
    reordered = tmp_path / "b.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(reordered, "w") as dst:
        for name in sorted(src.namelist(), reverse=True):
            dst.writestr(name, src.read(name))
    head = reordered.read_bytes()[:8192]
    assert check_type(str(reordered), head, "b.xlsx").allowed
