"""Extraction in worker processes: bounded in time and memory, and the pool survives both."""

from __future__ import annotations

import os
import threading
import time
import zipfile

import pytest

from airflow_provider_kmrl.classification.extractors import ExtractLimits
from airflow_provider_kmrl.classification.isolation import ExtractorPool

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture()
def pool_factory():
    pools: list[ExtractorPool] = []

    def make(**limits) -> ExtractorPool:
        pools.append(ExtractorPool(ExtractLimits(**limits)))
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()


def _alive(pool: ExtractorPool) -> list[int]:
    return [w.proc.pid for w in pool._idle if w.proc.poll() is None]


def test_worker_extracts_and_is_reused(tmp_path, pool_factory):
    pool = pool_factory()
    path = tmp_path / "note.txt"
    path.write_text("Safety circular 14: stop plungers are checked daily.")
    results = [pool.extract(str(path), "text/plain", "note.txt") for _ in range(3)]
    assert all("stop plungers" in r.text and r.error is None for r in results)
    assert pool.started == 1 and len(_alive(pool)) == 1


def test_a_document_that_hangs_is_cut_off_and_the_next_one_works(tmp_path, pool_factory):
    pool = pool_factory(timeout=1.5)
    fifo = tmp_path / "never-written.txt"
    os.mkfifo(fifo)  # opening it for reading blocks until a writer comes: a parser that hangs
    started = time.monotonic()
    result = pool.extract(str(fifo), "text/plain", "never-written.txt")
    assert 1.4 < time.monotonic() - started < 10
    assert result.text == "" and "longer than 1.5 s" in result.error
    assert _alive(pool) == []  # the stuck worker was killed, not returned to the pool
    ok = tmp_path / "ok.txt"
    ok.write_text("Work order 448211")
    assert pool.extract(str(ok), "text/plain", "ok.txt").text.startswith("Work order 448211")
    assert pool.started == 2


def test_a_document_that_needs_too_much_memory_fails_alone(tmp_path, pool_factory):
    pool = pool_factory(memory_mb=160, max_unpacked_bytes=1 << 31, timeout=60)
    bomb = tmp_path / "huge-paragraph.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:  # one 300 MB text run, ~300 KB zipped
            member.write(
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>"
            )
            chunk = b"a" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    result = pool.extract(str(bomb), DOCX, bomb.name)
    assert result.text == "" and ("memory" in result.error or "exited" in result.error), result.error
    ok = tmp_path / "ok.txt"
    ok.write_text("still working")
    assert pool.extract(str(ok), "text/plain", "ok.txt").text.startswith("still working")


def test_concurrent_callers_get_their_own_workers(tmp_path, pool_factory):
    pool = pool_factory()
    paths = []
    for n in range(6):
        path = tmp_path / f"doc{n}.txt"
        path.write_text(f"document number {n}")
        paths.append(path)
    results: dict[int, str] = {}

    def run(n: int) -> None:
        results[n] = pool.extract(str(paths[n]), "text/plain", paths[n].name).text

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[n].startswith(f"document number {n}") for n in range(6))
    assert 1 <= pool.started <= 6


def test_close_ends_every_worker(tmp_path, pool_factory):
    pool = pool_factory()
    path = tmp_path / "a.txt"
    path.write_text("x" * 20)
    pool.extract(str(path), "text/plain", "a.txt")
    procs = [w.proc for w in pool._idle]
    pool.close()
    assert procs and all(p.poll() is not None for p in procs)
