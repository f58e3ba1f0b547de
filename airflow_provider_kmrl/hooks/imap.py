"""Read-only IMAP access for the e-mail source, on top of the imap provider's ``ImapHook``.

``ImapHook`` owns the connection (connection type ``imap``, ``use_ssl``/``ssl_context`` extras,
the client it builds); this hook adds what ingesting a mailbox safely needs and ``ImapHook``
lacks: ``EXAMINE`` (read-only, so nothing can set ``\\Seen``), ``UID SEARCH``/``UID FETCH``,
``BODYSTRUCTURE`` and ranged ``BODY.PEEK[part]<offset.length>`` fetches, STARTTLS, a private CA
file, and ``AUTHENTICATE XOAUTH2`` (Gmail and Exchange Online no longer accept passwords).

Connection extras (all optional):

- ``use_ssl`` (default true): implicit TLS (port 993); false = plain IMAP (port 143)
- ``starttls`` (default false): upgrade a plain connection with STARTTLS before logging in
- ``ssl_context``: ``default`` (verify, the default) or ``none`` (no verification), as ImapHook
- ``ca_file``: a PEM bundle to verify the server against (a private CA or a self-signed server)
- ``auth_mechanism``: ``password`` (LOGIN, the default) or ``xoauth2``
- ``token``: the OAuth2 access token for ``xoauth2`` (else the password field is used)
- ``timeout`` (seconds, default 60): socket timeout for every command
"""

from __future__ import annotations

import base64
import imaplib
import json
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airflow.providers.imap.hooks.imap import ImapHook

from airflow_provider_kmrl.exceptions import SourceError
from airflow_provider_kmrl.hooks.imap_wire import encode_mailbox, parse_fetch, parse_list, parse_status

if TYPE_CHECKING:
    from airflow.sdk import Connection

_TRUE = {"1", "true", "yes", "on"}


class ImapAuthError(SourceError):
    """The server refused the credentials (wrong password, expired or invalid token)."""


class ImapCommandError(SourceError):
    """The server answered NO/BAD to a command, or the connection broke."""


@dataclass(frozen=True)
class MailboxState:
    """What EXAMINE or STATUS says about a mailbox."""

    name: str
    uidvalidity: int
    uidnext: int
    messages: int
    unseen: int | None = None


class KmrlImapHook(ImapHook):
    """One read-only IMAP session, authenticated by password or XOAUTH2.

    :param imap_conn_id: an Airflow connection of type ``imap`` (extras in the module docstring).
    """

    conn_name_attr = "imap_conn_id"
    default_conn_name = "kmrl_imap"
    conn_type = "imap"
    hook_name = "IMAP (read-only ingest, XOAUTH2)"

    def __init__(self, imap_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(imap_conn_id=imap_conn_id)
        self._selected: MailboxState | None = None
        self._capabilities: frozenset[str] = frozenset()

    # -- connecting -------------------------------------------------------------------------

    def get_conn(self) -> KmrlImapHook:
        """Connect and log in once; later calls return the same session."""
        if self.mail_client is None:
            conn = self.get_connection(self.imap_conn_id)
            client = self._build_client(conn)
            try:
                self._authenticate(client, conn)
            except BaseException:
                _logout_quietly(client)
                raise
            self.mail_client = client
            self._capabilities = frozenset(c.upper() for c in client.capabilities)
        return self

    def _build_client(self, conn: Any) -> imaplib.IMAP4_SSL | imaplib.IMAP4:
        extra = conn.extra_dejson
        timeout = float(extra.get("timeout") or 60)
        use_ssl = _flag(extra.get("use_ssl", True))
        host = conn.host or "127.0.0.1"
        client: imaplib.IMAP4
        try:
            if use_ssl and extra.get("ca_file"):
                client = imaplib.IMAP4_SSL(
                    host, conn.port or 993, ssl_context=_ssl_context(extra), timeout=timeout
                )
            elif use_ssl or not _flag(extra.get("starttls", False)):
                client = super()._build_client(conn)  # ImapHook: IMAP4_SSL or plain IMAP4
            else:
                client = imaplib.IMAP4(host, conn.port or 143, timeout=timeout)
                client.starttls(ssl_context=_ssl_context(extra))
        except ssl.SSLError as err:
            raise ImapCommandError(f"TLS with {host}:{conn.port} failed: {err}") from err
        except (OSError, imaplib.IMAP4.error) as err:
            raise ImapCommandError(f"cannot connect to IMAP server {host}:{conn.port}: {err}") from err
        if client.sock is not None:
            client.sock.settimeout(timeout)
        return client

    def _authenticate(self, client: imaplib.IMAP4, conn: Connection) -> None:
        extra = conn.extra_dejson
        mechanism = str(extra.get("auth_mechanism") or "password").lower()
        user = conn.login or ""
        if mechanism == "xoauth2":
            self._xoauth2(client, user, extra.get("token") or conn.password or "")
        elif mechanism == "password":
            if not conn.password:
                raise ImapAuthError(f"connection {self.imap_conn_id!r} has no password for user {user!r}")
            if (
                not isinstance(client, imaplib.IMAP4_SSL)
                and client.sock is not None
                and not isinstance(client.sock, ssl.SSLSocket)
            ):
                self.log.warning(
                    "Logging in to %s without TLS: the password travels in clear text", conn.host
                )
            try:
                client.login(user, conn.password)
            except imaplib.IMAP4.error as err:
                raise ImapAuthError(
                    f"IMAP LOGIN as {user!r} on {conn.host}:{conn.port} was refused: {_text(err)}. "
                    "Check the password (Gmail needs an app password or auth_mechanism xoauth2)"
                ) from err
        else:
            raise ImapAuthError(f"unknown auth_mechanism {mechanism!r}; use 'password' or 'xoauth2'")

    def _xoauth2(self, client: imaplib.IMAP4, user: str, token: str) -> None:
        if not token:
            raise ImapAuthError(
                f"auth_mechanism xoauth2 needs an access token in extra.token ({self.imap_conn_id!r})"
            )
        if "AUTH=XOAUTH2" not in {c.upper() for c in client.capabilities}:
            raise ImapAuthError("the server does not offer AUTHENTICATE XOAUTH2")
        initial = f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
        challenges: list[bytes] = []

        def respond(challenge: bytes) -> bytes:
            # First call: send the credentials. A second call carries the server's JSON error;
            # the SASL exchange must then be finished with an empty response.
            challenges.append(challenge or b"")
            return initial if len(challenges) == 1 else b""

        try:
            client.authenticate("XOAUTH2", respond)
        except imaplib.IMAP4.error as err:
            detail = _oauth_error(challenges[1:])
            raise ImapAuthError(
                f"XOAUTH2 login as {user!r} was refused: {_text(err)}{detail}. The access token is invalid, "
                "expired or lacks the IMAP scope (Gmail: https://mail.google.com/, "
                "Exchange Online: https://outlook.office365.com/IMAP.AccessAsUser.All)"
            ) from err

    @property
    def client(self) -> imaplib.IMAP4:
        return self.get_conn().mail_client  # type: ignore[return-value]

    @property
    def capabilities(self) -> frozenset[str]:
        self.get_conn()
        return self._capabilities

    def close(self) -> None:
        """Log out; safe to call twice and on a broken connection."""
        client, self.mail_client, self._selected = self.mail_client, None, None
        if client is not None:
            _logout_quietly(client)

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        self.close()

    # -- mailboxes --------------------------------------------------------------------------

    def examine(self, mailbox: str) -> MailboxState:
        """Open ``mailbox`` read-only (EXAMINE): no command in this session can change a flag."""
        client = self.client
        typ, data = self._call(client.select, encode_mailbox(mailbox), True)
        if typ != "OK":
            raise ImapCommandError(f"cannot open mailbox {mailbox!r}: {_text(data)}")
        untagged = client.untagged_responses
        state = MailboxState(
            name=mailbox,
            uidvalidity=_first_int(untagged.get("UIDVALIDITY")),
            uidnext=_first_int(untagged.get("UIDNEXT")),
            messages=_first_int(data),
        )
        self._selected = state
        return state

    def ensure_examined(self, mailbox: str) -> MailboxState:
        """EXAMINE ``mailbox`` unless this session already has it open."""
        if self._selected is not None and self._selected.name == mailbox and self.mail_client is not None:
            return self._selected
        return self.examine(mailbox)

    def status(self, mailbox: str) -> MailboxState:
        """STATUS UIDNEXT/UIDVALIDITY/MESSAGES/UNSEEN: a cheap "anything new?" without opening it."""
        typ, data = self._call(
            self.client.status, encode_mailbox(mailbox), "(UIDNEXT UIDVALIDITY MESSAGES UNSEEN)"
        )
        if typ != "OK" or not data or data[0] is None:
            raise ImapCommandError(f"STATUS {mailbox!r} failed: {_text(data)}")
        values = parse_status(data[0])
        return MailboxState(
            mailbox,
            values.get("UIDVALIDITY", 0),
            values.get("UIDNEXT", 0),
            values.get("MESSAGES", 0),
            values.get("UNSEEN"),
        )

    def special_use(self, attribute: str) -> str | None:
        """The mailbox flagged with a special-use attribute (``\\All``, ``\\Sent``); names are localised."""
        typ, data = self._call(self.client.list, '""', "*")
        if typ != "OK":
            raise ImapCommandError(f"LIST failed: {_text(data)}")
        wanted = attribute.lower()
        for flags, name in parse_list(data):
            if wanted in (f.lower() for f in flags):
                return name
        return None

    # -- messages ---------------------------------------------------------------------------

    def uid_search(self, criteria: str) -> list[int]:
        """``UID SEARCH`` in the open mailbox; UIDs ascending."""
        typ, data = self._call(self.client.uid, "SEARCH", criteria)
        if typ != "OK":
            raise ImapCommandError(f"UID SEARCH {criteria} failed: {_text(data)}")
        return sorted({int(u) for line in data if line for u in line.split()})

    def uid_fetch(self, uids: str, items: str) -> list[dict[str, Any]]:
        """``UID FETCH`` in the open mailbox; one parsed record per message that has a UID."""
        typ, data = self._call(self.client.uid, "FETCH", uids, items)
        if typ != "OK":
            raise ImapCommandError(f"UID FETCH {uids} {items} failed: {_text(data)}")
        return [r for r in parse_fetch(data) if "UID" in r]

    def fetch_range(self, uid: int, part: str, offset: int, length: int) -> bytes | None:
        """Up to ``length`` encoded bytes of a part from ``offset`` (``BODY.PEEK``: never sets \\Seen).

        Returns ``None`` when the open mailbox has no message with this UID (expunged). A server
        that still lists a message removed under it answers ``NIL`` (Dovecot adds
        ``[EXPUNGEISSUED]``): that is a missing message too, never an empty part (``""``).
        """
        section = f"BODY.PEEK[{part}]<{offset}.{length}>"
        for attempt in (1, 2):
            records = self.uid_fetch(str(uid), f"(UID {section})")
            for record in records:
                if int(record["UID"]) != uid:
                    continue
                for key, value in record.items():
                    if key.startswith(f"BODY[{part}]") and value is not None:
                        return value
            if attempt == 1:  # a session opened earlier may not know a newer message yet
                self._call(self.client.noop)
        return None

    def noop(self) -> None:
        self._call(self.client.noop)

    # -- Airflow ----------------------------------------------------------------------------

    def test_connection(self) -> tuple[bool, str]:
        """Log in and read INBOX's STATUS; never raises."""
        try:
            conn = self.get_connection(self.imap_conn_id)
            state = self.status("INBOX")
            tls = isinstance(self.client.sock, ssl.SSLSocket)
            mechanism = conn.extra_dejson.get("auth_mechanism") or "password"
            return True, (
                f"logged in as {conn.login!r} on {conn.host}:{conn.port} ({'TLS' if tls else 'no TLS'}, "
                f"{mechanism}); INBOX has {state.messages} messages"
            )
        except Exception as err:
            return False, f"{type(err).__name__}: {err}"
        finally:
            self.close()

    # -- internals --------------------------------------------------------------------------

    def _call(self, method: Any, *args: Any) -> tuple[str, list[Any]]:
        try:
            return method(*args)
        except (imaplib.IMAP4.abort, OSError) as err:
            self.close()  # a broken session cannot be reused
            raise ImapCommandError(f"IMAP connection lost: {err}") from err
        except imaplib.IMAP4.error as err:
            raise ImapCommandError(f"IMAP command failed: {_text(err)}") from err


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def _ssl_context(extra: dict[str, Any]) -> ssl.SSLContext:
    if extra.get("ca_file"):
        return ssl.create_default_context(cafile=extra["ca_file"])
    if str(extra.get("ssl_context") or "default").lower() == "none":
        return ssl._create_unverified_context()
    return ssl.create_default_context()


def _first_int(values: Any) -> int:
    for value in values or []:
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return 0


def _text(value: Any) -> str:
    if isinstance(value, BaseException):
        value = value.args[0] if value.args else str(value)
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes)) if value else b""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _oauth_error(challenges: list[bytes]) -> str:
    """The JSON the server sends before refusing a token, e.g. ``{"status":"401",...}``."""
    for challenge in challenges:
        try:
            text = (
                challenge.decode("utf-8") if challenge[:1] == b"{" else base64.b64decode(challenge).decode()
            )
            return f" (server detail: {json.dumps(json.loads(text), sort_keys=True)})"
        except Exception:  # not JSON: leave the detail out
            continue
    return ""


def _logout_quietly(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except Exception:  # already broken; logging out is best effort
        try:
            client.shutdown()
        except Exception:
            pass


__all__ = ["ImapAuthError", "ImapCommandError", "KmrlImapHook", "MailboxState"]
