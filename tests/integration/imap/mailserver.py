"""A private Dovecot (through ``scripts/dovecot.sh``), its Maildir, and a token introspection endpoint.

Used by the IMAP tests, the DAG tests and ``benchmarks/bench_imap.py``; no pytest here.
"""

from __future__ import annotations

import imaplib
import itertools
import json
import os
import shlex
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(REPO, "scripts", "dovecot.sh")
_names = itertools.count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class IntrospectionServer:
    """OAuth2 token introspection (RFC 7662 style) for Dovecot's oauth2 passdb.

    Dovecot POSTs ``token=<access token>``; a token registered with :meth:`grant` answers
    ``{"active": true, "username": ...}``, anything else ``{"active": false}``.
    """

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.requests: list[str] = []
        tokens, requests = self.tokens, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                token = (parse_qs(body).get("token") or [""])[0]
                requests.append(token)
                user = tokens.get(token)
                answer = {"active": True, "username": user, "scope": "imap"} if user else {"active": False}
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/introspect"
        self._thread = threading.Thread(target=self._server.serve_forever, name="introspection", daemon=True)

    def start(self) -> IntrospectionServer:
        self._thread.start()
        return self

    def grant(self, user: str) -> str:
        token = f"ya29.test-{uuid.uuid4().hex}"
        self.tokens[token] = user
        return token

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class Dovecot:
    """One private Dovecot instance: its own state dir, ports, TLS certificate and Maildir."""

    def __init__(self, oauth2_url: str, state_dir: str | None = None) -> None:
        self.own_dir = state_dir is None
        self.state_dir = state_dir or tempfile.mkdtemp(prefix="kmrl-imap-")
        os.chmod(self.state_dir, 0o755)  # the mail uid must traverse it (tmp dirs are 0700)
        self.env = {
            **os.environ,
            "KMRL_STATE_DIR": self.state_dir,
            "KMRL_IMAP_PORT": str(free_port()),
            "KMRL_IMAPS_PORT": str(free_port()),
            "KMRL_IMAP_OAUTH2_URL": oauth2_url,
        }
        self.info: dict[str, str] = {}

    def start(self) -> Dovecot:
        subprocess.run([SCRIPT, "start"], env=self.env, check=True, stdout=subprocess.DEVNULL, timeout=60)
        out = subprocess.run([SCRIPT, "env"], env=self.env, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            self.info[key] = shlex.split(value)[0] if value else ""
        return self

    def stop(self) -> None:
        subprocess.run([SCRIPT, "stop"], env=self.env, check=False, stdout=subprocess.DEVNULL, timeout=60)
        if self.own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    # -- addresses and connections ------------------------------------------------------------

    @property
    def host(self) -> str:
        return self.info["KMRL_IMAP_HOST"]

    @property
    def port(self) -> int:
        return int(self.info["KMRL_IMAP_PORT"])

    @property
    def tls_port(self) -> int:
        return int(self.info["KMRL_IMAPS_PORT"])

    @property
    def user(self) -> str:
        return self.info["KMRL_IMAP_USER"]

    @property
    def password(self) -> str:
        return self.info["KMRL_IMAP_PASSWORD"]

    @property
    def ca_file(self) -> str:
        return self.info["KMRL_IMAP_CA_FILE"]

    def connection(self, mode: str = "imaps", **extra: object) -> str:
        """An Airflow connection (JSON) of type ``imap``: ``imaps``, ``starttls`` or ``plain``."""
        base: dict[str, object] = {"timeout": 30}
        if mode == "imaps":
            base.update(use_ssl=True, ca_file=self.ca_file)
            port = self.tls_port
        elif mode == "starttls":
            base.update(use_ssl=False, starttls=True, ca_file=self.ca_file)
            port = self.port
        else:
            base.update(use_ssl=False)
            port = self.port
        base.update(extra)
        return json.dumps(
            {
                "conn_type": "imap",
                "host": self.host,
                "port": port,
                "login": self.user,
                "password": self.password,
                "extra": base,
            }
        )

    def client(self) -> imaplib.IMAP4_SSL:
        """A test-side session (to check flags, expunge, ...), over TLS."""
        client = imaplib.IMAP4_SSL(
            self.host, self.tls_port, ssl_context=ssl.create_default_context(cafile=self.ca_file)
        )
        client.login(self.user, self.password)
        return client

    def folder(self, name: str | None = None) -> MaildirFolder:
        return MaildirFolder(self, name or f"t_{uuid.uuid4().hex[:10]}")

    def doveadm(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["doveadm", "-c", self.info["KMRL_DOVECOT_CONF"], *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )


class MaildirFolder:
    """A mail folder seeded by writing Maildir files (tmp/ then rename, owned by the mail uid).

    File names start with an increasing number, so Dovecot assigns UIDs in the order messages
    were added; a file's mtime becomes the message's INTERNALDATE.
    """

    def __init__(self, server: Dovecot, name: str) -> None:
        self.server = server
        self.name = name
        self.path = os.path.join(server.info["KMRL_IMAP_MAILDIR"], f".{name}")
        self.uid = int(server.info["KMRL_IMAP_MAIL_UID"])
        self.gid = int(server.info["KMRL_IMAP_MAIL_GID"])
        for sub in ("", "cur", "new", "tmp"):
            os.makedirs(os.path.join(self.path, sub), exist_ok=True)
            os.chown(os.path.join(self.path, sub), self.uid, self.gid)
        self.files: list[str] = []

    def add(self, raw: bytes, internaldate: datetime | None = None) -> str:
        """Deliver one message (unseen); returns its Maildir file name."""
        when = (internaldate or datetime.now(timezone.utc)).timestamp()
        name = f"{1_600_000_000 + next(_names)}.M{os.getpid()}P{uuid.uuid4().hex[:8]}.kmrl"
        tmp = os.path.join(self.path, "tmp", name)
        with open(tmp, "wb") as fh:
            fh.write(raw)
        os.chown(tmp, self.uid, self.gid)
        os.utime(tmp, (when, when))
        final = os.path.join(self.path, "cur", f"{name}:2,")
        os.rename(tmp, final)
        self.files.append(final)
        return final

    def add_many(self, raws: list[bytes], internaldate: datetime | None = None) -> None:
        for raw in raws:
            self.add(raw, internaldate)

    def remove_file(self, path: str) -> None:
        """Take a message away behind Dovecot's back (an expunge by another client)."""
        os.unlink(path)

    def status(self) -> dict[str, int]:
        client = self.server.client()
        try:
            typ, data = client.status(self.name, "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY)")
            assert typ == "OK", data
            words = data[0].decode().split("(", 1)[1].rstrip(")").split()
            return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}
        finally:
            client.logout()

    def reset_uidvalidity(self) -> int:
        """Make Dovecot renumber the folder with a new UIDVALIDITY, as a restored server would."""
        before = self.status()["UIDVALIDITY"]
        for entry in os.listdir(self.path):
            if entry.startswith("dovecot"):
                os.unlink(os.path.join(self.path, entry))
        after = self.status()["UIDVALIDITY"]
        if after == before:  # same second: force a different value
            self.server.doveadm(
                "mailbox", "update", "-u", self.server.user, "--uid-validity", str(before + 17), self.name
            )
            after = before + 17
        time.sleep(0)  # keep the helper synchronous; Dovecot re-reads on the next command
        return after

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
