"""The ledger's schema and its guarantees, against a real Postgres."""

from __future__ import annotations

import threading

import psycopg2
import pytest

from airflow_provider_kmrl.pipeline.catalog import Catalog


def test_migrations_are_safe_when_many_tasks_start_at_once(pg_dsn):
    results, errors = [], []

    def migrate():
        cat = Catalog(pg_dsn, max_connections=1)
        try:
            results.append(cat.migrate())
        except Exception as err:  # collected: the assertion below shows it
            errors.append(err)
        finally:
            cat.close()

    threads = [threading.Thread(target=migrate) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    applied = [r for r in results if r]
    assert len(applied) == 1 and applied[0][:2] == ["0001_documents", "0002_document_events"]
    with psycopg2.connect(pg_dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT version FROM kmrl_schema_migrations ORDER BY version")
        assert [r[0] for r in cur.fetchall()] == list(range(1, len(applied[0]) + 1))


def test_database_refuses_success_without_a_clean_scan(catalog):
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.CheckViolation):
            cur.execute(
                "INSERT INTO documents (id, source_system, source_id, file_name, status, scan_status)"
                " VALUES (gen_random_uuid(), 's', 'x', 'x.pdf', 'success', 'unscanned')"
            )


def test_database_refuses_two_stored_originals_of_one_content(catalog):
    insert = (
        "INSERT INTO documents (id, source_system, source_id, file_name, status, scan_status, checksum)"
        " VALUES (gen_random_uuid(), 's', %s, 'x.pdf', 'success', 'clean', repeat('a', 64))"
    )
    with psycopg2.connect(catalog.dsn) as conn, conn.cursor() as cur:
        cur.execute(insert, ("one",))
        with pytest.raises(psycopg2.errors.UniqueViolation):
            cur.execute(insert, ("two",))
