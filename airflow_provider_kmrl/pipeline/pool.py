"""A thread-safe Postgres connection pool that keeps the connections it opens.

psycopg2's own pools close every returned connection beyond ``minconn``; with ``minconn=1`` and a
few worker threads that meant a new server connection (a forked backend, a few milliseconds) for
most queries. This pool opens connections on demand, up to ``size``, and keeps them until
:meth:`close`. A caller that finds every connection busy waits instead of failing.
"""

from __future__ import annotations

import threading

import psycopg2
import psycopg2.extensions
import psycopg2.pool


class ConnectionPool:
    """Up to ``size`` connections to ``dsn``, opened lazily and reused."""

    def __init__(self, dsn: str, size: int) -> None:
        self.dsn = dsn
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[psycopg2.extensions.connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def getconn(self) -> psycopg2.extensions.connection:
        self._slots.acquire()
        try:
            with self._lock:
                if self._closed:
                    raise psycopg2.pool.PoolError("connection pool is closed")
                if self._idle:
                    return self._idle.pop()
            return psycopg2.connect(self.dsn)
        except BaseException:
            self._slots.release()
            raise

    def putconn(self, conn: psycopg2.extensions.connection, close: bool = False) -> None:
        """Take a connection back, rolled back to idle; broken or unwanted ones are closed."""
        try:
            if not close and not conn.closed:
                status = conn.info.transaction_status
                if status == psycopg2.extensions.TRANSACTION_STATUS_UNKNOWN:
                    close = True
                elif status != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
                    try:
                        conn.rollback()
                    except psycopg2.Error:
                        close = True
            with self._lock:
                if close or conn.closed or self._closed:
                    conn.close()
                else:
                    self._idle.append(conn)
        finally:
            self._slots.release()

    def closeall(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
