"""The catalog's connection pool keeps its server connections and makes callers wait, not fail."""

from __future__ import annotations

import threading
import time

from airflow_provider_kmrl.pipeline.pool import ConnectionPool


def _backend_pid(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def test_threads_reuse_the_connections_the_pool_opened(pg_dsn):
    pool = ConnectionPool(pg_dsn, size=3)
    seen: set[int] = set()
    lock = threading.Lock()

    def work():
        for _ in range(25):
            conn = pool.getconn()
            try:
                pid = _backend_pid(conn)
            finally:
                pool.putconn(conn)
            with lock:
                seen.add(pid)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool.closeall()
    # 100 queries from 4 threads: never more server connections than the pool's size
    assert 1 <= len(seen) <= 3


def test_a_caller_waits_for_a_busy_pool_and_broken_connections_are_replaced(pg_dsn):
    pool = ConnectionPool(pg_dsn, size=1)
    first = pool.getconn()
    got: list[int] = []

    def wait_for_a_connection():
        conn = pool.getconn()
        got.append(_backend_pid(conn))
        pool.putconn(conn)

    waiter = threading.Thread(target=wait_for_a_connection)
    waiter.start()
    time.sleep(0.3)
    assert got == []  # still waiting: the only connection is out
    pid = _backend_pid(first)
    first.close()  # broken: must not be handed out again
    pool.putconn(first)
    waiter.join(timeout=10)
    assert got and got[0] != pid  # a new server connection, not the closed one
    pool.closeall()
