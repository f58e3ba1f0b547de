"""A real OpenSSH sshd (``scripts/sshd.sh``) with a chrooted SFTP user, and a private folder per test.

Test files are written straight into the folder behind the chroot (as a Maximo export job on the
same host would) and handed to the SFTP user; the source then sees them only through sshd.
"""

from __future__ import annotations

import json
import os
import pwd
import shlex
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SSHD = REPO / "scripts" / "sshd.sh"


def _sshd(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(SSHD), *args], capture_output=True, text=True, check=check, timeout=120)


@pytest.fixture(scope="session")
def sshd() -> dict[str, str]:
    """Start sshd unless it runs already (then it is left running); stop what this session started."""
    if os.geteuid() != 0 or not os.path.exists("/usr/sbin/sshd"):
        pytest.skip("the SFTP tests need root and /usr/sbin/sshd (scripts/install.sh installs it)")
    was_running = _sshd("status", check=False).returncode == 0
    if not was_running:
        started = _sshd("start", check=False)
        assert started.returncode == 0, started.stderr[-2000:]
    env = {}
    for line in _sshd("env").stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = shlex.split(value)[0] if value else ""
    yield env
    if not was_running:
        _sshd("stop")


@dataclass
class SftpFolder:
    """A test's folder on the server: ``local`` behind the chroot, ``remote`` as the server shows it."""

    local: Path
    remote: str
    uid: int
    gid: int

    def put(self, relpath: str, data: bytes, mtime: float | None = None) -> Path:
        """Write a file (creating folders), owned by the SFTP user, optionally with an old mtime."""
        path = self.local / relpath
        self.mkdir(str(Path(relpath).parent))
        tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:6]}")
        tmp.write_bytes(data)
        os.chown(tmp, self.uid, self.gid)
        if mtime is not None:
            os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)  # appears whole, as an export job's rename would
        return path

    def mkdir(self, relpath: str) -> Path:
        path = self.local
        for part in Path(relpath).parts:
            path = path / part
            if not path.exists():
                path.mkdir()
                os.chown(path, self.uid, self.gid)
        return path

    def files(self, under: str = "") -> list[str]:
        base = self.local / under
        return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


@pytest.fixture()
def buckets(minio_client):
    """Like the suite's ``buckets``, but removed afterwards (S3 server volumes are a shared, finite pool)."""
    from tests.integration.sftp.s3cleanup import temporary_buckets

    with temporary_buckets(minio_client) as names:
        yield names


@pytest.fixture()
def sftp_folder(sshd) -> SftpFolder:
    user = pwd.getpwnam(sshd["KMRL_SFTP_USER"])
    name = f"t-{uuid.uuid4().hex[:10]}"
    local = Path(sshd["KMRL_SFTP_LOCAL_ROOT"]) / name
    local.mkdir()
    os.chown(local, user.pw_uid, user.pw_gid)
    try:
        yield SftpFolder(local, f"{sshd['KMRL_SFTP_REMOTE_ROOT']}/{name}", user.pw_uid, user.pw_gid)
    finally:
        shutil.rmtree(local, ignore_errors=True)


def sftp_connection(sshd: dict[str, str], *, password: str | None = None, key: bool = True) -> str:
    """The ``AIRFLOW_CONN_*`` JSON of an ``sftp`` connection to the test server, host key pinned."""
    extra = {"host_key": sshd["KMRL_SFTP_HOST_KEY"], "look_for_keys": False, "allow_host_key_change": False}
    if key:
        extra["key_file"] = sshd["KMRL_SFTP_KEY_FILE"]
    return json.dumps({
        "conn_type": "sftp", "host": sshd["KMRL_SFTP_HOST"], "port": int(sshd["KMRL_SFTP_PORT"]),
        "login": sshd["KMRL_SFTP_USER"], "password": password, "extra": extra,
    })


@pytest.fixture()
def sftp_conn_id(sshd, monkeypatch) -> str:
    conn_id = f"kmrl_sftp_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", sftp_connection(sshd))
    return conn_id
