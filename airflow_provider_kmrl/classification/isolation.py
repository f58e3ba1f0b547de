"""Run text extraction in worker processes, so every document is bounded in time and memory.

A parser stuck on a crafted PDF cannot be interrupted inside a thread, and one that allocates
gigabytes would take the ingest task with it. Each worker is a small Python process (no Airflow
imported) with an address-space cap; a request that passes its deadline gets the worker killed
and an ``error`` result, and the next request starts a fresh worker. Idle workers are reused, one
per concurrent caller, and shared by every classifier in the process.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import airflow_provider_kmrl
from airflow_provider_kmrl.classification.extractors import Extracted, ExtractLimits
from airflow_provider_kmrl.core.types import Classification

if TYPE_CHECKING:
    from airflow_provider_kmrl.classification.rules import Rules

log = logging.getLogger(__name__)
_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(airflow_provider_kmrl.__file__)))


class WorkerFailed(Exception):
    """The worker died, broke the protocol or passed its deadline (it has been killed)."""


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "airflow_provider_kmrl.classification.worker", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._buffer = b""

    def ask(self, request: dict, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError as err:
            raise WorkerFailed(f"extraction worker is gone ({err})") from err
        line = self._read_line(deadline, timeout)
        try:
            return json.loads(line)
        except ValueError as err:
            raise WorkerFailed("extraction worker sent an unreadable reply") from err

    def _read_line(self, deadline: float, timeout: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerFailed(f"extraction took longer than {timeout:g} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    code = self.proc.poll()
                    raise WorkerFailed(f"extraction worker exited (code {code}); out of memory or crashed")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream and stream.close()
            except OSError:
                pass


class ExtractorPool:
    """Extract text in worker processes; ``extract`` never raises for a bad document."""

    def __init__(self, limits: ExtractLimits | None = None, max_idle: int = 8) -> None:
        self.limits = limits or ExtractLimits()
        self.max_idle = max_idle
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self.started = 0

    def extract(self, path: str, mime_type: str, file_name: str) -> Extracted:
        try:
            return Extracted(**self._ask({"path": path, "mime_type": mime_type, "file_name": file_name}))
        except WorkerFailed as err:
            return Extracted(error=str(err))

    def classify(
        self, path: str, mime_type: str, file_name: str, metadata: dict[str, Any], rules: Rules
    ) -> tuple[Classification | None, Extracted]:
        """Extract and classify in a worker: (the classification, what was extracted, without text).

        The classification is ``None`` when the worker could not use these rules (the file changed
        on disk since they were loaded, or they were never a file); the extracted text then comes
        back for the caller to score.
        """
        if rules.path is None:
            return None, self.extract(path, mime_type, file_name)
        try:
            reply = self._ask(
                {
                    "path": path,
                    "mime_type": mime_type,
                    "file_name": file_name,
                    "metadata": _plain(metadata),
                    "rules": {"path": rules.path, "digest": rules.digest},
                }
            )
        except WorkerFailed as err:
            return None, Extracted(error=str(err))
        if reply.get("error"):
            log.warning("classifying %s in a worker failed (%s); scoring it here", file_name, reply["error"])
        found = reply.get("classification")
        return (Classification(**found) if found else None), Extracted(**reply["extracted"])

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """One request to an idle worker; a worker that fails is killed and ``WorkerFailed`` raised."""
        worker = self._take()
        try:
            reply = worker.ask({**request, "limits": asdict(self.limits)}, self.limits.timeout)
        except WorkerFailed as err:
            worker.kill()
            log.warning("text extraction of %s failed: %s", request.get("file_name"), err)
            raise
        self._give_back(worker)
        return reply

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.proc.poll() is None:
                    return worker
                worker.kill()
            self.started += 1
        return _Worker(self.limits.memory_mb)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def _plain(metadata: dict[str, Any]) -> dict[str, Any]:
    """The JSON-representable part of a document's metadata (the rules read strings and numbers)."""
    out = {}
    for key, value in (metadata or {}).items():
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            continue
        out[str(key)] = value
    return out


_SHARED: dict[ExtractLimits, ExtractorPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(limits: ExtractLimits) -> ExtractorPool:
    """One pool per set of limits for the whole process (workers outlive classifier objects)."""
    with _SHARED_LOCK:
        pool = _SHARED.get(limits)
        if pool is None:
            pool = _SHARED[limits] = ExtractorPool(limits)
        return pool


@atexit.register
def _close_shared() -> None:
    for pool in list(_SHARED.values()):
        pool.close()
