"""Hook for IBM Maximo's REST (OSLC) API (connection type ``kmrl_maximo``).

host is the Maximo base URL including its context root (``https://maximo.example.org/maximo``).
Authentication, chosen by ``extra.auth_type``:

- ``apikey`` (default): the password field holds an API key, sent as the ``apikey`` header (a
  header, not the ``?apikey=`` query parameter, so it never lands in access logs);
- ``maxauth``: Maximo native authentication, ``maxauth: base64(login:password)`` on each request.

Extras: ``site`` (default site filter), ``api_path`` (``oslc``, or ``api`` on MAS Manage),
``timeout`` (seconds per request), ``verify`` (TLS verification; a CA bundle path also works),
``max_retries`` and ``max_retry_wait`` (throttling, see :class:`MaximoClient`).
"""

from __future__ import annotations

import base64
import email.utils
import logging
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from airflow.sdk import BaseHook

from airflow_provider_kmrl.exceptions import SourceError

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class MaximoError(SourceError):
    """Maximo answered with an error the client cannot recover from."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class MaximoAuthError(MaximoError):
    """401/403: the credentials are wrong, expired, or lack access; retrying cannot help."""


class MaximoNotFound(MaximoError):
    """404: the record or attachment does not exist (any more)."""


@dataclass(frozen=True)
class MaximoSettings:
    base_url: str
    auth_type: str = "apikey"
    api_key: str | None = None
    user: str | None = None
    password: str | None = None
    api_path: str = "oslc"
    timeout: float = 60.0
    verify: bool | str = True
    max_retries: int = 5
    max_retry_wait: float = 120.0
    max_connections: int = 4
    conn_id: str = "kmrl_maximo"


#: Headers that carry Maximo credentials; never sent to another origin or over a downgrade.
CREDENTIAL_HEADERS = ("apikey", "maxauth", "Authorization", "Cookie")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def redirect_policy(from_url: str, to_url: str) -> str:
    """``keep`` credentials (same origin), ``strip`` them (another origin), or ``refuse`` (https -> http).

    ``requests`` strips only ``Authorization`` on a redirect to another host; ``apikey`` and
    ``maxauth`` are ordinary session headers and used to follow any redirect, in clear after a
    downgrade to http.
    """
    old, new = _origin(from_url), _origin(to_url)
    if old[0] == "https" and new[0] != "https":
        return "refuse"
    if old == new or (old[0], new[0]) == ("http", "https") and old[1] == new[1]:
        return "keep"  # the same origin, or the same host upgraded to https
    return "strip"


def _credential_safe_session() -> Any:
    import requests

    class CredentialSafeSession(requests.Session):
        """A session whose credentials stay with their origin across redirects."""

        def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
            policy = redirect_policy(response.request.url, prepared_request.url)
            if policy == "refuse":
                raise MaximoError(f"Maximo redirected from https to http ({_origin(prepared_request.url)[1]}); "
                                  "refusing to send the request (and its credentials) unencrypted")
            if policy == "strip":
                for header in CREDENTIAL_HEADERS:
                    prepared_request.headers.pop(header, None)
                log.warning("Maximo redirected to another origin (%s); following without credentials",
                            _origin(prepared_request.url)[1])
            super().rebuild_auth(prepared_request, response)

    return CredentialSafeSession()


class MaximoClient:
    """Small OSLC client over ``requests``: auth headers, throttling, paging, streamed downloads.

    Throttling: 429 and 503 (and 502/504) are retried up to ``max_retries`` times, waiting what
    ``Retry-After`` asks (seconds or an HTTP date, capped at ``max_retry_wait``) or else an
    exponential backoff with jitter. 401 and 403 fail at once with :class:`MaximoAuthError`.
    At most ``max_connections`` requests (downloads included, until closed) run at once: the
    pool that bounds the load one task puts on Maximo.
    """

    def __init__(self, settings: MaximoSettings, sleep=time.sleep) -> None:
        from requests.adapters import HTTPAdapter

        self.settings = settings
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(settings.max_connections)
        self.session = _credential_safe_session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=settings.max_connections, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.verify = settings.verify
        self.session.headers.update({"Accept": "application/json", **self._auth_headers()})
        parts = urlsplit(settings.base_url.rstrip("/") + "/")
        self._origin = (parts.scheme, parts.netloc)
        self.base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def _auth_headers(self) -> dict[str, str]:
        s = self.settings
        if s.auth_type == "maxauth":
            if not (s.user and s.password):
                raise MaximoError(f"connection {s.conn_id!r}: maxauth needs login and password")
            token = base64.b64encode(f"{s.user}:{s.password}".encode()).decode()
            return {"maxauth": token}
        if s.auth_type != "apikey":
            raise MaximoError(f"connection {s.conn_id!r}: auth_type is apikey or maxauth, not "
                              f"{s.auth_type!r}")
        if not s.api_key:
            raise MaximoError(f"connection {s.conn_id!r}: put the API key in the password field")
        return {"apikey": s.api_key}

    # -- addresses --------------------------------------------------------------------------

    def url(self, href: str) -> str:
        """An absolute URL for an href Maximo returned, on the configured host.

        Maximo builds hrefs from its own idea of its address (often an internal host name behind
        a proxy, e.g. ``http://localhost:7001/maximo/...``); only the path is trusted.
        """
        absolute = urljoin(self.base, href)
        parts = urlsplit(absolute)
        return urlunsplit((*self._origin, parts.path, parts.query, ""))

    def os_url(self, object_structure: str) -> str:
        return urljoin(self.base, f"{self.settings.api_path}/os/{object_structure.lower()}")

    # -- requests ---------------------------------------------------------------------------

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], str | None]:
        """GET a JSON document; returns it with the server's ``Date`` header (Maximo's clock)."""
        with self._slots:
            response = self._send(url, params, stream=False)
            try:
                return response.json(), response.headers.get("Date")
            except ValueError as err:
                raise MaximoError(f"Maximo answered {url} with something that is not JSON: "
                                  f"{response.text[:200]!r}") from err
            finally:
                response.close()

    @contextmanager
    def download(self, url: str) -> Iterator[HttpStream]:
        """A streamed attachment body; holds one connection slot until closed."""
        with self._slots:
            response = self._send(url, None, stream=True)
            try:
                yield HttpStream(response)
            finally:
                response.close()

    def _send(self, url: str, params: dict[str, Any] | None, stream: bool):
        import requests

        attempt = 0
        while True:
            try:
                response = self.session.get(url, params=params, stream=stream, timeout=self.settings.timeout)
            except (requests.ConnectionError, requests.Timeout) as err:
                if attempt >= self.settings.max_retries:
                    raise MaximoError(f"cannot reach Maximo at {url}: {err}") from err
                wait = self._backoff(attempt)
                log.warning("Maximo unreachable (%s); retry %d in %.1fs", err, attempt + 1, wait)
            else:
                if response.status_code < 400:
                    return response
                error = self._error(response, url)
                if response.status_code not in RETRY_STATUSES or attempt >= self.settings.max_retries:
                    raise error
                wait = self._retry_after(response) or self._backoff(attempt)
                log.warning("Maximo answered %s for %s; retry %d in %.1fs", response.status_code, url,
                            attempt + 1, wait)
            attempt += 1
            self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        return min(self.settings.max_retry_wait, 2.0**attempt) * random.uniform(0.75, 1.25)

    def _retry_after(self, response) -> float | None:
        value = (response.headers.get("Retry-After") or "").strip()
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when is None:
                return None
            seconds = when.timestamp() - time.time()
        return max(0.0, min(seconds, self.settings.max_retry_wait))

    def _error(self, response, url: str) -> MaximoError:
        status, detail = response.status_code, _error_detail(response)
        response.close()
        conn = self.settings.conn_id
        if status == 401:
            return MaximoAuthError(
                f"Maximo rejected the credentials of connection {conn!r} (401{detail}): check the "
                f"{'API key' if self.settings.auth_type == 'apikey' else 'login and password'} and that it "
                "has not expired", status)
        if status == 403:
            return MaximoAuthError(f"Maximo refused access for connection {conn!r} to {url} (403{detail}): "
                                   "the user needs read access to this object structure", status)
        if status == 404:
            return MaximoNotFound(f"Maximo has no {url} (404{detail})", status)
        if status in RETRY_STATUSES:
            return MaximoError(f"Maximo kept answering {status} for {url} after {self.settings.max_retries} "
                               f"retries{detail}; try later or lower max_connections", status)
        return MaximoError(f"Maximo answered {status} for {url}{detail}", status)

    # -- OSLC ------------------------------------------------------------------------------

    def query(self, object_structure: str, *, where: str | None, select: str, order_by: str | None = None,
              page_size: int = 100) -> Iterator[tuple[dict[str, Any], str | None]]:
        """Every record of an object-structure query, following ``responseInfo.nextPage``.

        Uses stable paging: the server keeps the result set of the first request, so records that
        change while we page are neither skipped nor repeated. Yields ``(record, server date of the
        first page)``.
        """
        params: dict[str, Any] = {"lean": 1, "oslc.select": select, "oslc.pageSize": page_size,
                                  "stablepaging": 1}
        if where:
            params["oslc.where"] = where
        if order_by:
            params["oslc.orderBy"] = order_by
        page, first_date = self.get_json(self.os_url(object_structure), params)
        while True:
            for record in page.get("member") or []:
                yield record, first_date
            next_page = ((page.get("responseInfo") or {}).get("nextPage") or {}).get("href")
            if not next_page:
                return
            page, _ = self.get_json(self.url(next_page))

    def doclinks(self, href: str) -> list[dict[str, Any]]:
        """The attachment entries (``member[]`` with ``href`` and ``describedBy``) behind a doclinks href."""
        body, _ = self.get_json(self.url(href), {"lean": 1})
        return list(body.get("member") or [])

    def whoami(self) -> dict[str, Any]:
        body, _ = self.get_json(urljoin(self.base, f"{self.settings.api_path}/whoami"))
        return body

    def close(self) -> None:
        self.session.close()


class HttpStream:
    """``read(n)`` over a streamed response body (content decoding applied, length enforced)."""

    def __init__(self, response) -> None:
        self.response = response
        self.headers = response.headers

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise ValueError("read the attachment in chunks, never whole")
        return self.response.raw.read(size, decode_content=True)


def _extras(extra: dict[str, Any]) -> dict[str, Any]:
    """Extras by their short names; the UI form may store ``extra__kmrl_maximo__<name>``."""
    prefix = "extra__kmrl_maximo__"
    out = {k[len(prefix):]: v for k, v in extra.items() if k.startswith(prefix) and v not in (None, "")}
    out.update({k: v for k, v in extra.items() if not k.startswith(prefix)})
    return out


def _error_detail(response) -> str:
    """Maximo's own message (``oslc:Error`` or ``Error``), if the body has one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("oslc:Error") or body.get("Error") or {}
    message = error.get("oslc:message") or error.get("message") or ""
    reason = error.get("errorattrname") or error.get("reasonCode") or ""
    message, reason = str(message).strip(), str(reason).strip()
    text = "; ".join(x for x in (message, "" if reason in message else reason) if x)
    return f": {text}" if text else ""


class MaximoHook(BaseHook):
    """Build a :class:`MaximoClient` from a ``kmrl_maximo`` connection.

    :param maximo_conn_id: the Airflow connection to Maximo.
    :param max_connections: requests to Maximo at once from this hook's client.
    """

    conn_name_attr = "maximo_conn_id"
    default_conn_name = "kmrl_maximo"
    conn_type = "kmrl_maximo"
    hook_name = "IBM Maximo (REST/OSLC)"

    def __init__(
        self, maximo_conn_id: str = default_conn_name, max_connections: int = 4, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.maximo_conn_id = maximo_conn_id
        self.max_connections = max_connections
        self._client: MaximoClient | None = None

    def get_conn(self) -> MaximoClient:
        """Return the client, reading the connection once."""
        if self._client is None:
            self._client = MaximoClient(self.settings())
        return self._client

    def settings(self) -> MaximoSettings:
        conn = self.get_connection(self.maximo_conn_id)
        extra = _extras(conn.extra_dejson)
        host = (conn.host or "").strip()
        if not host:
            raise MaximoError(f"connection {self.maximo_conn_id!r}: host must be the Maximo base URL, "
                              "e.g. https://maximo.example.org/maximo")
        if "://" not in host:
            host = f"https://{host}"
        if conn.port:
            parts = urlsplit(host)
            host = urlunsplit((parts.scheme, f"{parts.hostname}:{conn.port}", parts.path, "", ""))
        auth_type = str(extra.get("auth_type") or "apikey").lower()
        verify = extra.get("verify", True)
        if isinstance(verify, str) and verify.lower() in ("true", "false"):
            verify = verify.lower() == "true"
        return MaximoSettings(
            base_url=host,
            auth_type=auth_type,
            api_key=conn.password if auth_type == "apikey" else None,
            user=conn.login,
            password=conn.password,
            api_path=str(extra.get("api_path") or "oslc").strip("/"),
            timeout=float(extra.get("timeout") or 60),
            verify=verify,
            max_retries=int(extra.get("max_retries", 5)),
            max_retry_wait=float(extra.get("max_retry_wait", 120)),
            max_connections=self.max_connections,
            conn_id=self.maximo_conn_id,
        )

    def site(self) -> str | None:
        """The connection's default site filter (``extra.site``)."""
        return _extras(self.get_connection(self.maximo_conn_id).extra_dejson).get("site") or None

    def test_connection(self) -> tuple[bool, str]:
        """Log in (``whoami``) and read one work order; never raises."""
        try:
            client = self.get_conn()
            me = client.whoami()
            user = me.get("userName") or me.get("personid") or me.get("loginID") or "?"
            next(iter(client.query("MXAPIWODETAIL", where=None, select="wonum", page_size=1)), None)
        except MaximoError as err:
            return False, str(err)
        except Exception as err:
            return False, f"invalid Maximo connection {self.maximo_conn_id!r}: {type(err).__name__}: {err}"
        return True, f"logged in to {client.base} as {user}; MXAPIWODETAIL is readable"

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
