"""Secrets stay in their connections: a whole ingest per source kind with every secret set to a marker.

Every secret a run uses -- the Postgres password, the S3 secret key, the source's password, API
key, OAuth2 token, private key and its passphrase -- is a distinctive marker, and the servers know
those markers (a private S3 server, Dovecot and sshd started by the project's scripts, the fake
Maximo), so a run that succeeds really authenticated with them. After each run, some that succeed
and some that a server rejects, no marker (nor a derived form such as ``base64(user:password)`` or
a line of the private key) may appear in: the task's log (files under the log folder, the captured
output and log records), its XComs, rendered fields and audit-log rows, the checkpoint Variable,
its Asset events, Airflow's metadata database file, any table of the documents database
(``documents.source_metadata``, ``rejection_reason``, ``document_events.details`` ...), the
operator's OpenLineage facets, or the exception the task failed with and its causes.

Airflow masks the connection secrets it hands to a task in that task's log. That masking is turned
off here: the test is about what the provider writes, not about what Airflow would hide of it (a
masker cannot hide a derived form, nor anything outside the logs).
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import yaml

from tests import corpus
from tests.helpers import rows
from tests.integration.imap import messages
from tests.integration.imap.conftest import introspection  # noqa: F401 - session fixture
from tests.integration.imap.mailserver import Dovecot
from tests.integration.maximo.conftest import maximo_connection
from tests.integration.maximo.fake_maximo import FakeMaximo
from tests.integration.sftp.conftest import SftpFolder

pytestmark = pytest.mark.airflow

REPO = Path(__file__).resolve().parents[2]
SERVICES = REPO / "scripts" / "services.sh"
SSHD = REPO / "scripts" / "sshd.sh"
TAG = uuid.uuid4().hex[:8]
PREFIX = "S3cr3t-M4rk3r"
#: Every marker of this session (a persistent store may hold earlier sessions' markers, never ours).
MARKERS = re.compile(rf"{PREFIX}-[a-z0-9-]+-{TAG}")
IST = timezone(timedelta(hours=5, minutes=30))


def marker(secret: str) -> str:
    """The marker for one secret: a common prefix, which secret it is, this session's tag."""
    return f"{PREFIX}-{secret}-{TAG}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ports_free(*ports: int) -> bool:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _script_env(output: str) -> dict[str, str]:
    env = {}
    for line in output.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = shlex.split(value)[0] if value else ""
    return env


# -- servers that know the markers ---------------------------------------------------------------

@pytest.fixture(scope="module")
def secret_s3(tmp_path_factory, services):
    """A private S3 server whose secret key is a marker (the shared server's key is fixed at its start)."""
    state = tmp_path_factory.mktemp("s3-secrets")
    for port in range(21000 + os.getpid() % 500 * 10, 30000, 10):
        if _ports_free(*range(port, port + 5), *range(port + 10000, port + 10005)):  # weed mini's ports
            break
    env = {**os.environ, "KMRL_STATE_DIR": str(state), "KMRL_S3_PORT": str(port),
           "KMRL_S3_ACCESS_KEY": "kmrl-secrets-test", "KMRL_S3_SECRET_KEY": marker("s3")}
    started = subprocess.run([str(SERVICES), "start", "s3"], env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield {"endpoint": f"http://127.0.0.1:{port}", "access_key": env["KMRL_S3_ACCESS_KEY"],
               "secret_key": env["KMRL_S3_SECRET_KEY"]}
    finally:
        subprocess.run([str(SERVICES), "stop", "s3"], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def secret_dovecot(introspection):  # noqa: F811 - fixture from the import
    """A private Dovecot whose user's password is a marker; it also accepts a marker OAuth2 token."""
    server = Dovecot(introspection.url)
    server.env["KMRL_IMAP_PASSWORD"] = marker("imap-password")
    server.start()
    introspection.tokens[marker("imap-token")] = server.user
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def secret_sshd(tmp_path_factory):
    """A private sshd (its own system user, port and chroot) whose user's password is a marker.

    Its client key is also kept encrypted with a marker passphrase, for a key-only connection.
    """
    if os.geteuid() != 0 or not os.path.exists("/usr/sbin/sshd"):
        pytest.skip("the SFTP tests need root and /usr/sbin/sshd (scripts/install.sh installs it)")
    state = tmp_path_factory.mktemp("sshd-secrets")
    chroot = f"/var/lib/kmrl-sftp-chroot/secrets-{TAG}"  # every parent root-owned, as sshd insists
    env = {**os.environ, "KMRL_STATE_DIR": str(state), "KMRL_SSHD_PORT": str(_free_port()),
           "KMRL_SFTP_USER": f"kmrl-sec-{TAG}", "KMRL_SFTP_PASSWORD": marker("sftp-password"),
           "KMRL_SSHD_CHROOT": chroot}
    try:
        started = subprocess.run([str(SSHD), "start"], env=env, capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr[-2000:]
        info = _script_env(subprocess.run([str(SSHD), "env"], env=env, capture_output=True, text=True,
                                          check=True, timeout=60).stdout)
        key = state / "client_key_with_passphrase"
        shutil.copyfile(info["KMRL_SFTP_KEY_FILE"], key)
        key.chmod(0o600)
        subprocess.run(["ssh-keygen", "-q", "-p", "-f", str(key), "-P", "", "-N", marker("sftp-passphrase")],
                       check=True, capture_output=True, timeout=60)
        info["encrypted_key"] = key.read_text()
        info["plain_key"] = Path(info["KMRL_SFTP_KEY_FILE"]).read_text()
        yield info
    finally:
        subprocess.run([str(SSHD), "destroy"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(chroot, ignore_errors=True)
        shutil.rmtree(f"{chroot}-keys", ignore_errors=True)


def _key_lines(pem: str) -> list[str]:
    """The base64 lines of a private key: any one of them in the output means the key leaked."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def derived_secrets(sshd: dict[str, str] | None = None) -> list[str]:
    """Forms of the markers that a plain search would miss."""
    found = []
    for password in (marker("maximo-password"), marker("maximo-password") + "-wrong"):
        found.append(base64.b64encode(f"maxadmin:{password}".encode()).decode())  # the maxauth header
    if sshd:
        found += _key_lines(sshd["encrypted_key"]) + _key_lines(sshd["plain_key"])
    return found


# -- the shared connections, with marker secrets --------------------------------------------------

def _store_connection(s3: dict[str, str], secret: str | None = None) -> str:
    return json.dumps({"conn_type": "kmrl_minio", "host": s3["endpoint"], "login": s3["access_key"],
                       "password": secret or s3["secret_key"]})


def _postgres_connection(dsn: str, port: int | None = None) -> str:
    """The test database's DSN with a marker password (the server trusts loopback, so any works)."""
    parts = urlsplit(dsn)
    return (f"postgres://{parts.username or 'postgres'}:{marker('pg-password')}@{parts.hostname}:"
            f"{port or parts.port}{parts.path}")


@pytest.fixture()
def unmasked(monkeypatch):
    """Airflow's secrets masker takes no new secret: logs show what the provider really wrote."""
    import airflow._shared.secrets_masker.secrets_masker as core_masker
    import airflow.sdk._shared.secrets_masker.secrets_masker as sdk_masker

    for module in (core_masker, sdk_masker):
        monkeypatch.setattr(module.SecretsMasker, "add_mask", lambda self, secret, name=None: None)


@pytest.fixture()
def base(tmp_path, services, pg_dsn, secret_s3, monkeypatch, unmasked):
    """Postgres, store and clamd connections (the first two with marker secrets) as env variables."""
    tag = uuid.uuid4().hex[:8]
    env = {
        "AIRFLOW_CONN_KMRL_POSTGRES": _postgres_connection(pg_dsn),
        "AIRFLOW_CONN_KMRL_CLAMAV": json.dumps({"conn_type": "kmrl_clamav", "host": services["KMRL_CLAMD_HOST"],
                                                "port": int(services["KMRL_CLAMD_PORT"])}),
        "AIRFLOW_CONN_KMRL_STORE": _store_connection(secret_s3),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def sources_file(source: dict) -> str:
        config = {"defaults": {"raw_bucket": f"raw-{tag}", "quarantine_bucket": f"quarantine-{tag}",
                               "batch_size": 4, "concurrency": 2},
                  "sources": [{"schedule": None, "name": f"{source['kind']}_{tag}", **source}]}
        path = tmp_path / "kmrl_sources.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True))
        monkeypatch.setenv("KMRL_SOURCES_FILE", str(path))
        return str(path)

    return {"pg_dsn": pg_dsn, "sources_file": sources_file, "tag": tag}


# -- one ingest run, and everything it left behind ------------------------------------------------

class Run:
    """One ``dag.test()`` of a source's ingest DAG, and the exceptions its task failed with."""

    def __init__(self, source: str, state: str, dag, exceptions: list[BaseException], started: float) -> None:
        self.source, self.state, self.dag, self.exceptions, self.started = source, state, dag, exceptions, started


def run_ingest(sources_file: str) -> Run:
    from airflow_provider_kmrl.dags import build_dags

    config = yaml.safe_load(Path(sources_file).read_text())
    source = config["sources"][0]["name"]
    dag = build_dags(sources_file)[f"kmrl_ingest__{source}"]
    exceptions: list[BaseException] = []
    for task in dag.tasks:
        task.retries = 0  # fail now, not after the production retry delays
        task.on_failure_callback = [lambda context: exceptions.append(context["exception"])]
    started = time.time()
    return Run(source, dag.test().state, dag, exceptions, started)


def _exception_texts(err: BaseException | None) -> list[str]:
    """The messages of an exception and of every exception it was raised from or during."""
    out, seen = [], set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        out += [str(err), repr(err), *(repr(a) for a in err.args)]
        err = err.__cause__ or err.__context__
    return out


def _log_files(since: float) -> dict[str, str]:
    """Log files written during the run (``dag.test()`` logs to the console; a real task to files)."""
    from airflow.configuration import conf

    found = {}
    for root, _dirs, files in os.walk(conf.get("logging", "base_log_folder")):
        for name in files:
            path = os.path.join(root, name)
            try:
                if os.path.getmtime(path) >= since - 1:
                    found[path] = Path(path).read_text(errors="replace")
            except OSError:
                continue
    return found


def _airflow_records(dag_id: str, source: str) -> dict[str, str]:
    """XComs, rendered fields, audit-log rows and Asset events of the DAG, and the checkpoint Variable."""
    from airflow.models.asset import AssetEvent
    from airflow.models.log import Log
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.models.variable import Variable
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    out: dict[str, str] = {}
    with create_session() as session:
        for x in session.query(XComModel).filter(XComModel.dag_id == dag_id):
            out[f"xcom {x.run_id} {x.task_id} {x.key}"] = json.dumps(x.value, default=str)
        for r in session.query(RenderedTaskInstanceFields).filter(RenderedTaskInstanceFields.dag_id == dag_id):
            out[f"rendered fields {r.run_id}"] = json.dumps(r.rendered_fields, default=str)
        for e in session.query(AssetEvent).filter(AssetEvent.source_dag_id == dag_id):
            out[f"asset event {e.id}"] = json.dumps(e.extra, default=str)
        for entry in session.query(Log).filter(Log.dag_id == dag_id):
            out[f"audit log {entry.id} {entry.event}"] = str(entry.extra)
    out["checkpoint variable"] = str(Variable.get(f"kmrl_checkpoint__{source}", default_var=None))
    return out


def _metadata_db_files() -> dict[str, str]:
    """Airflow's SQLite metadata database as bytes on disk: whatever any row holds in clear text."""
    from airflow.configuration import conf

    url = conf.get("database", "sql_alchemy_conn")
    if not url.startswith("sqlite:///"):
        return {}
    path = url[len("sqlite:///"):]
    return {p: Path(p).read_bytes().decode("latin-1") for p in (path, f"{path}-wal") if os.path.exists(p)}


def _documents_db(dsn: str) -> dict[str, str]:
    """Every row of every table of the documents database, as JSON text."""
    out = {}
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        for (table,) in cur.fetchall():
            cur.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
            for i, (text,) in enumerate(cur.fetchall()):
                out[f"{table}[{i}]"] = text
    return out


def _lineage(run: Run) -> dict[str, str]:
    """The OpenLineage facets the operator reports for each of its task instances."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    out = {}
    with create_session() as session:
        tis = session.query(TaskInstance).filter(TaskInstance.dag_id == run.dag.dag_id).all()
    for ti in tis:
        task = run.dag.get_task(ti.task_id)
        for method in ("get_openlineage_facets_on_start", "get_openlineage_facets_on_complete",
                       "get_openlineage_facets_on_failure"):
            if hasattr(task, method):
                lineage = getattr(task, method)() if method.endswith("start") else getattr(task, method)(ti)
                out[f"{method} {ti.run_id}"] = repr(lineage) + _attrs_json(lineage)
    assert out, "the operator reports OpenLineage facets"
    return out


def _attrs_json(value) -> str:
    try:
        import attrs

        return json.dumps(attrs.asdict(value, recurse=True), default=repr)
    except Exception:  # not an attrs instance: its repr is enough
        return ""


def assert_no_secret(run: Run, pg_dsn: str, capfd, caplog, extra_secrets: list[str] = ()) -> None:
    """No marker (nor a derived form) in anything the run left behind."""
    out, err = capfd.readouterr()
    assert "Task instance state updated" in out + err, "the run's task log was captured (else nothing is proved)"
    found = {"stdout": out, "stderr": err, "caplog": caplog.text}
    for i, record in enumerate(caplog.records):
        found[f"log record {i}"] = f"{record.getMessage()} {record.exc_text or ''} {record.__dict__!r}"
    found.update(_log_files(run.started))
    found.update(_airflow_records(run.dag.dag_id, run.source))
    found.update(_metadata_db_files())
    found.update(_documents_db(pg_dsn))
    found.update(_lineage(run))
    for i, exc in enumerate(run.exceptions):
        for j, text in enumerate(_exception_texts(exc)):
            found[f"exception {i}.{j}"] = text
    leaks = []
    for where, text in found.items():
        hits = [m.start() for m in MARKERS.finditer(text)]
        hits += [text.find(s) for s in extra_secrets if s in text]
        leaks += [f"{where}: ...{text[max(0, at - 300):at + 80]!r}..." for at in hits[:1]]
    assert not leaks, "secret leaked:\n" + "\n".join(leaks[:20])


def assert_failed(run: Run, words: str) -> None:
    assert run.state == "failed" and run.exceptions, "the run must fail (a server rejected it)"
    text = " ".join(_exception_texts(run.exceptions[0]))
    assert words.lower() in text.lower(), text[-2000:]


# -- upload: the shared connections' secrets ------------------------------------------------------

@pytest.fixture()
def upload_file(tmp_path, base):
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "circular.txt").write_text(corpus.CIRCULAR_EN)
    (folder / "eicar.txt").write_bytes(corpus.EICAR)
    return base["sources_file"]({"kind": "upload", "options": {"path": str(folder)}})


def test_upload_ingest_leaks_neither_the_postgres_nor_the_store_secret(base, upload_file, capfd, caplog):
    run = run_ingest(upload_file)
    assert run.state == "success"
    assert {r["status"] for r in rows(base["pg_dsn"], run.source)} == {"success", "quarantined"}
    assert_no_secret(run, base["pg_dsn"], capfd, caplog)


def test_store_rejecting_a_secret_key_shows_it_nowhere(base, upload_file, secret_s3, monkeypatch, capfd, caplog):
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_STORE", _store_connection(secret_s3, marker("s3") + "-wrong"))
    run = run_ingest(upload_file)
    assert_failed(run, "SignatureDoesNotMatch")
    assert_no_secret(run, base["pg_dsn"], capfd, caplog)


def test_unreachable_postgres_shows_its_password_nowhere(base, upload_file, pg_dsn, monkeypatch, capfd, caplog):
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_POSTGRES", _postgres_connection(pg_dsn, port=_free_port()))
    run = run_ingest(upload_file)
    assert_failed(run, "refused")
    assert_no_secret(run, base["pg_dsn"], capfd, caplog)


# -- imap: password and OAuth2 token --------------------------------------------------------------

@pytest.fixture()
def imap_file(base, secret_dovecot):
    folder = secret_dovecot.folder()
    for n in range(2):
        name = f"notice-{n}.txt"
        folder.add(messages.attachment_mail(f"{name} {base['tag']}", name, f"Notice {n}\n".encode(), "text", "plain"))
    try:
        yield base["sources_file"]({"kind": "imap", "conn_id": "kmrl_imap_secrets",
                                    "options": {"mailbox": folder.name}})
    finally:
        folder.remove()


@pytest.mark.parametrize("auth", ["password", "xoauth2"])
def test_imap_ingest_leaks_no_password_or_token(auth, base, imap_file, secret_dovecot, monkeypatch, capfd, caplog):
    extra = {"auth_mechanism": "xoauth2", "token": marker("imap-token")} if auth == "xoauth2" else {}
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_IMAP_SECRETS", secret_dovecot.connection("imaps", **extra))
    run = run_ingest(imap_file)
    assert run.state == "success"
    assert {r["status"] for r in rows(base["pg_dsn"], run.source)} == {"success"}
    assert_no_secret(run, base["pg_dsn"], capfd, caplog)


@pytest.mark.parametrize("auth", ["password", "xoauth2"])
def test_imap_server_rejecting_a_password_or_token_shows_it_nowhere(auth, base, imap_file, secret_dovecot,
                                                                    monkeypatch, capfd, caplog):
    conn = json.loads(secret_dovecot.connection("imaps"))
    if auth == "xoauth2":
        conn["extra"].update(auth_mechanism="xoauth2", token=marker("imap-token") + "-wrong")
    else:
        conn["password"] = marker("imap-password") + "-wrong"
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_IMAP_SECRETS", json.dumps(conn))
    run = run_ingest(imap_file)
    assert_failed(run, "refused")
    assert_no_secret(run, base["pg_dsn"], capfd, caplog)


# -- sftp: password, private key and passphrase ---------------------------------------------------

def _sftp_connection(sshd: dict[str, str], *, password: str | None = None, key: bool = False) -> str:
    extra: dict[str, object] = {"host_key": sshd["KMRL_SFTP_HOST_KEY"], "look_for_keys": False,
                                "allow_host_key_change": False}
    if key:
        extra.update(private_key=sshd["encrypted_key"], private_key_passphrase=marker("sftp-passphrase"))
    return json.dumps({"conn_type": "sftp", "host": sshd["KMRL_SFTP_HOST"], "port": int(sshd["KMRL_SFTP_PORT"]),
                       "login": sshd["KMRL_SFTP_USER"], "password": password, "extra": extra})


@pytest.fixture()
def sftp_file(base, secret_sshd):
    user = pwd.getpwnam(secret_sshd["KMRL_SFTP_USER"])
    name = f"t-{base['tag']}"
    local = Path(secret_sshd["KMRL_SFTP_LOCAL_ROOT"]) / name
    local.mkdir()
    os.chown(local, user.pw_uid, user.pw_gid)
    folder = SftpFolder(local, f"{secret_sshd['KMRL_SFTP_REMOTE_ROOT']}/{name}", user.pw_uid, user.pw_gid)
    old = time.time() - 86400
    folder.put("WO-1001/pump inspection.pdf", corpus.minimal_pdf("Pump inspection"), mtime=old)
    folder.put("eicar.txt", corpus.EICAR, mtime=old)
    try:
        yield base["sources_file"]({"kind": "sftp", "conn_id": "kmrl_sftp_secrets",
                                    "options": {"path": folder.remote, "after_ingest": "move",
                                                "processed_path": f"{folder.remote}/.done"}})
    finally:
        shutil.rmtree(local, ignore_errors=True)


@pytest.mark.parametrize("auth", ["password", "key"])
def test_sftp_ingest_leaks_no_password_key_or_passphrase(auth, base, sftp_file, secret_sshd, monkeypatch,
                                                         capfd, caplog):
    conn = (_sftp_connection(secret_sshd, password=marker("sftp-password")) if auth == "password"
            else _sftp_connection(secret_sshd, key=True))
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_SFTP_SECRETS", conn)
    run = run_ingest(sftp_file)
    assert run.state == "success"
    assert {r["status"] for r in rows(base["pg_dsn"], run.source)} == {"success", "quarantined"}
    assert_no_secret(run, base["pg_dsn"], capfd, caplog, derived_secrets(secret_sshd))


def test_sftp_server_rejecting_a_password_shows_it_nowhere(base, sftp_file, secret_sshd, monkeypatch, capfd, caplog):
    conn = _sftp_connection(secret_sshd, password=marker("sftp-password") + "-wrong")
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_SFTP_SECRETS", conn)
    run = run_ingest(sftp_file)
    assert_failed(run, "authentication")
    assert_no_secret(run, base["pg_dsn"], capfd, caplog, derived_secrets(secret_sshd))


# -- maximo: API key, or login and password (maxauth) ---------------------------------------------

@pytest.fixture()
def maximo_file(base):
    fake = FakeMaximo(api_key=marker("maximo-key"), users={"maxadmin": marker("maximo-password")})
    fake.base_url = fake.start()
    jan = datetime(2026, 1, 5, 9, tzinfo=IST)
    wo = fake.add_work_order("WO-2001", jan, description="Replace pump seal")
    fake.attach(wo, "seal report.pdf", corpus.minimal_pdf("Seal report"), created=jan, mime_type="application/pdf")
    fake.attach(wo, "eicar.txt", corpus.EICAR, created=jan)
    try:
        yield fake, base["sources_file"]({"kind": "maximo", "conn_id": "kmrl_maximo_secrets",
                                          "options": {"site": "MUTTOM", "page_size": 2}})
    finally:
        fake.stop()


@pytest.mark.parametrize("auth", ["apikey", "maxauth"])
def test_maximo_ingest_leaks_no_api_key_or_password(auth, base, maximo_file, monkeypatch, capfd, caplog):
    fake, sources_file = maximo_file
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_MAXIMO_SECRETS", maximo_connection(fake, auth=auth))
    run = run_ingest(sources_file)
    assert run.state == "success"
    assert {r["status"] for r in rows(base["pg_dsn"], run.source)} == {"success", "quarantined"}
    assert_no_secret(run, base["pg_dsn"], capfd, caplog, derived_secrets())


@pytest.mark.parametrize("auth", ["apikey", "maxauth"])
def test_maximo_rejecting_a_key_or_password_shows_it_nowhere(auth, base, maximo_file, monkeypatch, capfd, caplog):
    fake, sources_file = maximo_file
    wrong = marker("maximo-key" if auth == "apikey" else "maximo-password") + "-wrong"
    monkeypatch.setenv("AIRFLOW_CONN_KMRL_MAXIMO_SECRETS", maximo_connection(fake, auth=auth, secret=wrong))
    run = run_ingest(sources_file)
    assert_failed(run, "rejected the credentials")
    assert_no_secret(run, base["pg_dsn"], capfd, caplog, derived_secrets())
