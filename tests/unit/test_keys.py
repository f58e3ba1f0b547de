from datetime import datetime, timezone

import pytest

from airflow_provider_kmrl.pipeline.keys import document_id, file_extension, object_key, sanitise_file_name


def test_document_id_is_deterministic_and_distinct():
    assert document_id("mail", "a") == document_id("mail", "a")
    assert document_id("mail", "a") != document_id("uploads", "a")
    assert document_id("mail", "a\x00b") != document_id("mail\x00a", "b")


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..", ".", "", "a/../../b", "..\\..\\windows\\system32", "\x00\x01", "con\ntrol\r.txt",
     "/absolute/path.pdf", "x" * 1000 + ".pdf", "invoice\u202etxt.exe", "   ", "...."],
)
def test_sanitised_names_stay_one_safe_segment(name):
    safe = sanitise_file_name(name)
    assert safe and "/" not in safe and "\\" not in safe and safe not in (".", "..")
    assert not any(ord(c) < 32 for c in safe)
    assert len(safe.encode()) <= 200


def test_malayalam_names_survive():
    assert sanitise_file_name("സുരക്ഷാ സർക്കുലർ 14.txt") == "സുരക്ഷാ സർക്കുലർ 14.txt"


def test_long_names_keep_their_extension():
    assert sanitise_file_name("a" * 500 + ".pdf").endswith(".pdf")


def test_object_key_layout():
    when = datetime(2026, 3, 7, tzinfo=timezone.utc)
    assert object_key("uploads", when, "id-1", "../x.pdf") == "uploads/2026/03/07/id-1/x.pdf"


@pytest.mark.parametrize("name,ext", [("a.PDF", "pdf"), ("noext", ""), (".hidden", ""), ("a.tar.gz", "gz")])
def test_file_extension(name, ext):
    assert file_extension(name) == ext
