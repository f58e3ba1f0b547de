"""A local HTTP server that answers like Maximo's REST (OSLC) API, for tests and the demo.

It speaks the documented wire format (IBM Maximo REST API guide: Query, Filtering, Sorting and
paging, Attachments, Authentication): ``GET /maximo/oslc/os/mxapiwodetail`` with ``lean=1``,
``oslc.select``, ``oslc.where`` (``=``, ``>=``, ``>``, ``<``, ``<=``, ``!=``, ``in [...]``,
``and``, dot notation into the ``doclinks`` relationship), ``oslc.orderBy`` (``+attr``/``-attr``),
``oslc.pageSize`` and ``stablepaging=1`` (a ``stableId`` in ``responseInfo.nextPage.href``; a
page expires once served); each work order's ``doclinks`` href; ``GET .../doclinks?lean=1`` with
``member[].href`` and ``describedBy``; ``GET .../doclinks/{id}`` returning the file's bytes and
``.../doclinks/meta/{id}`` its metadata; ``GET /maximo/oslc/whoami``. Authentication by the
``apikey`` header or ``maxauth: base64(user:password)``; errors as ``{"oslc:Error": ...}``.
Faults (429 with ``Retry-After``, 503, 401) can be queued for the next matching requests.
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CONTEXT = "/maximo"


@dataclass
class Doclink:
    id: int
    file_name: str
    data: bytes
    created: datetime
    url_type: str = "FILE"
    url: str | None = None
    doc_type: str = "Attachments"
    description: str = ""
    mime_type: str = "application/octet-stream"
    createby: str = "WILSON"


@dataclass
class WorkOrder:
    wonum: str
    siteid: str
    changedate: datetime
    workorderid: int
    worktype: str = "CM"
    status: str = "WAPPR"
    assetnum: str | None = None
    location: str | None = None
    description: str = ""
    doclinks: list[Doclink] = field(default_factory=list)

    @property
    def restid(self) -> str:
        key = f"{self.siteid}/{self.wonum}".encode()
        return "_" + base64.urlsafe_b64encode(key).decode().replace("=", "-")


@dataclass
class Fault:
    path_contains: str
    status: int
    headers: dict[str, str]
    remaining: int


class FakeMaximo:
    """The server's state: work orders, their attachments, credentials, queued faults, a request log."""

    def __init__(self, api_key: str = "kmrl-test-api-key", users: dict[str, str] | None = None,
                 host_in_hrefs: str = "http://localhost:7001") -> None:
        self.api_key = api_key
        self.users = users or {"maxadmin": "maxadmin-secret"}
        self.host_in_hrefs = host_in_hrefs  # Maximo behind a proxy names its own internal host
        self.work_orders: dict[str, WorkOrder] = {}
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.redirects: list[list[Any]] = []
        self.clock_offset = 0.0
        self._ids = itertools.count(1001)
        self._wo_ids = itertools.count(500)
        self._stable: dict[str, list[WorkOrder]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- data -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.clock_offset, tz=timezone.utc).replace(microsecond=0)

    def add_work_order(
        self, wonum: str, changedate: datetime, siteid: str = "MUTTOM", **fields: Any
    ) -> WorkOrder:
        wo = WorkOrder(wonum, siteid, changedate, next(self._wo_ids), **fields)
        with self._lock:
            self.work_orders[wo.restid] = wo
        return wo

    def attach(self, wo: WorkOrder, file_name: str, data: bytes = b"", created: datetime | None = None,
               touch: bool = False, **fields: Any) -> Doclink:
        """Add a doclink; ``touch`` also bumps the work order's changedate (Maximo may or may not)."""
        link = Doclink(next(self._ids), file_name, data, created or self.now(), **fields)
        with self._lock:
            wo.doclinks.append(link)
            if touch:
                wo.changedate = link.created
        return link

    def fail_next(
        self, path_contains: str, status: int, times: int = 1, retry_after: str | None = None
    ) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.faults.append(Fault(path_contains, status, headers, times))

    def redirect_next(self, path_contains: str, location: str, times: int = 1) -> None:
        """Answer the next requests whose path contains ``path_contains`` with a 302 to ``location``."""
        self.redirects.append([path_contains, location, times])

    def requests_to(self, fragment: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if fragment in r["path"]]

    def queries(self) -> list[dict[str, Any]]:
        """Requests to the work-order collection itself (not to a record or its attachments)."""
        return [r for r in self.requests if r["path"].endswith("/os/mxapiwodetail")]

    # -- server -----------------------------------------------------------------------------

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-maximo", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_port}{CONTEXT}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- OSLC -------------------------------------------------------------------------------

    def href(self, path: str) -> str:
        return f"{self.host_in_hrefs}{CONTEXT}/{path}"

    def query(self, params: dict[str, str]) -> dict[str, Any]:
        size = int(params.get("oslc.pageSize", 1000))
        pageno = int(params.get("pageno", 1))
        stable_id = params.get("stableId")
        stable = params.get("stablepaging") in ("1", "true")
        if stable_id:  # stable paging: the set kept from the first request; a served page expires
            with self._lock:
                remaining = self._stable.pop(stable_id, None)
            if remaining is None:
                raise _HttpError(400, "BMXAA9549E - The stable paging set has expired or was fully read.")
        else:  # basic paging: the query runs again for every page
            remaining = self._select(params)[(pageno - 1) * size:]
        page, rest = remaining[:size], remaining[size:]
        select = [s.strip() for s in params.get("oslc.select", "*").split(",")]
        body: dict[str, Any] = {"member": [self._record(wo, select) for wo in page],
                                "href": self.href("oslc/os/mxapiwodetail")}
        info: dict[str, Any] = {"pagenum": pageno}
        if rest:
            keep = {k: v for k, v in params.items() if k not in ("pageno", "stableId")}
            if stable:
                token = stable_id or uuid.uuid4().hex
                with self._lock:
                    self._stable[token] = rest
                keep["stableId"] = token
            keep["pageno"] = str(pageno + 1)
            info["nextPage"] = {"href": self.href("oslc/os/mxapiwodetail?" + urlencode(keep))}
        body["responseInfo"] = info
        return body

    def _select(self, params: dict[str, str]) -> list[WorkOrder]:
        with self._lock:
            wos = list(self.work_orders.values())
        where = params.get("oslc.where")
        if where:
            terms = [_parse_term(t) for t in _split_and(where)]
            wos = [wo for wo in wos if all(_matches(wo, term) for term in terms)]
        for spec in reversed([s.strip() for s in params.get("oslc.orderBy", "").split(",") if s.strip()]):
            if spec[0] not in "+-":
                raise _HttpError(400, f"BMXAA0000E - order by attribute {spec} needs + or -")
            wos.sort(key=lambda wo, a=spec[1:]: _value(wo, a), reverse=spec[0] == "-")
        return wos

    def _record(self, wo: WorkOrder, select: list[str]) -> dict[str, Any]:
        full = {"workorderid": wo.workorderid, "wonum": wo.wonum, "siteid": wo.siteid,
                "worktype": wo.worktype, "status": wo.status, "assetnum": wo.assetnum,
                "location": wo.location,
                "description": wo.description, "changedate": _iso(wo.changedate)}
        record = {k: v for k, v in full.items() if ("*" in select or k in select) and v is not None}
        if "*" in select or "doclinks" in select:
            record["doclinks"] = {"href": self.href(f"oslc/os/mxapiwodetail/{wo.restid}/doclinks")}
        record["href"] = self.href(f"oslc/os/mxapiwodetail/{wo.restid}")
        record["_rowstamp"] = str(wo.workorderid * 7)
        return record

    def doclinks(self, restid: str) -> dict[str, Any]:
        wo = self._wo(restid)
        base = f"oslc/os/mxapiwodetail/{restid}/doclinks"
        return {"href": self.href(base),
                "member": [{"href": self.href(f"{base}/{d.id}"), "localref": self.href(f"{base}/0-{d.id}"),
                            "describedBy": self.described_by(wo, d)} for d in wo.doclinks]}

    def described_by(self, wo: WorkOrder, d: Doclink) -> dict[str, Any]:
        meta = {"identifier": str(d.id), "fileName": d.file_name, "docType": d.doc_type,
                "created": _iso(d.created), "modified": _iso(d.created), "createby": d.createby,
                "changeby": d.createby, "description": d.description,
                "title": d.file_name.rsplit(".", 1)[0][:20],
                "format": {"label": d.mime_type, "href": f"http://purl.org/NET/mediatypes/{d.mime_type}"},
                "ownerid": wo.workorderid, "ownertable": "WORKORDER", "urlType": d.url_type,
                "attachmentSize": len(d.data), "docinfoid": d.id + 5000, "upload": False, "show": False,
                "about": self.href(f"oslc/os/mxapiwodetail/{wo.restid}/doclinks/meta/{d.id}")}
        if d.url_type != "FILE":
            meta["urlname"] = d.url
            meta.pop("attachmentSize")
        return meta

    def attachment(self, restid: str, doc_id: int) -> Doclink:
        for d in self._wo(restid).doclinks:
            if d.id == doc_id:
                return d
        raise _HttpError(404, f"BMXAA8727E - The doclink {doc_id} does not exist.")

    def _wo(self, restid: str) -> WorkOrder:
        try:
            return self.work_orders[restid]
        except KeyError:
            raise _HttpError(404, f"BMXAA8727E - The resource {restid} does not exist.") from None


class _HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeMaximo
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(self.fake.now().timestamp(), usegmt=True)

    def do_GET(self):
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.fake.requests.append({"path": parts.path, "params": params, "headers": dict(self.headers)})
        for redirect in self.fake.redirects:
            if redirect[2] > 0 and redirect[0] in parts.path:
                redirect[2] -= 1
                self.send_response(302)
                self.send_header("Location", redirect[1] + ("?" + parts.query if parts.query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        try:
            self._fault(parts.path)
            self._authenticate()
            self._route(parts.path, params)
        except _HttpError as err:
            self._send_json(err.status, {"oslc:Error": {"oslc:statusCode": str(err.status),
                                                         "oslc:message": err.message,
                                                         "reasonCode": err.message.split(" ", 1)[0]}},
                            err.headers)

    def _fault(self, path: str) -> None:
        for fault in self.fake.faults:
            if fault.remaining > 0 and fault.path_contains in path:
                fault.remaining -= 1
                raise _HttpError(fault.status, "BMXAA0000E - injected fault", fault.headers)

    def _authenticate(self) -> None:
        key = self.headers.get("apikey")
        if key is not None:
            if key == self.fake.api_key:
                return
            raise _HttpError(401, "BMXAA2279E - The API key is not valid.")
        maxauth = self.headers.get("maxauth")
        if maxauth:
            user, _, password = base64.b64decode(maxauth).decode().partition(":")
            if self.fake.users.get(user) == password:
                return
        raise _HttpError(401, "BMXAA0021E - User name and password combination are not valid. Try again.")

    def _route(self, path: str, params: dict[str, str]) -> None:
        rest = path.removeprefix(f"{CONTEXT}/oslc/")
        if rest == "whoami":
            me = {"userName": "MAXADMIN", "personid": "MAXADMIN", "defaultSite": "MUTTOM"}
            return self._send_json(200, me)
        m = _ROUTE.fullmatch(rest)
        if not m:
            raise _HttpError(404, f"BMXAA0000E - no route {path}")
        if m["rid"] is None:
            return self._send_json(200, self.fake.query(params))
        if m["id"] is None:
            return self._send_json(200, self.fake.doclinks(m["rid"]))
        link = self.fake.attachment(m["rid"], int(m["id"]))
        if m["meta"]:
            return self._send_json(200, self.fake.described_by(self.fake._wo(m["rid"]), link))
        if link.url_type != "FILE":
            raise _HttpError(400, "BMXAA0000E - URL-type doclinks have no file content")
        self.send_response(200)
        self.send_header("Content-Type", link.mime_type)
        self.send_header("Content-Length", str(len(link.data)))
        self.send_header("Link", self.fake.href(f"oslc/os/mxapiwodetail/{m['rid']}/doclinks/meta/{link.id}"))
        self.end_headers()
        view = memoryview(link.data)
        for start in range(0, len(view), 256 * 1024):  # a streamed body, not one write
            self.wfile.write(view[start:start + 256 * 1024])

    def _send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)


# -- oslc.where ---------------------------------------------------------------------------------

_ROUTE = re.compile(r"os/mxapiwodetail(?:/(?P<rid>_[^/]+)(?:/doclinks(?:/(?P<meta>meta/)?(?P<id>\d+))?)?)?")

_TERM = re.compile(r'^\s*(?P<attr>[a-z_.]+)\s*(?:(?P<op>>=|<=|!=|=|>|<)\s*(?P<value>"[^"]*"|[\w.:+-]+)'
                   r'|\s+in\s+\[(?P<list>[^\]]*)\])\s*$', re.I)


def _split_and(where: str) -> list[str]:
    """Split on `` and `` outside double quotes."""
    terms, current, quoted, i = [], "", False, 0
    while i < len(where):
        if where[i] == '"':
            quoted = not quoted
        if not quoted and where[i:i + 5].lower() == " and ":
            terms.append(current)
            current, i = "", i + 5
            continue
        current += where[i]
        i += 1
    return [*terms, current]


def _parse_term(term: str) -> tuple[str, str, Any]:
    m = _TERM.match(term)
    if not m:
        raise _HttpError(400, f"BMXAA0000E - cannot parse where term {term!r}")
    attr = m["attr"].lower()
    if m["list"] is not None:
        return attr, "in", [v.strip().strip('"') for v in m["list"].split(",")]
    raw = m["value"].strip('"')
    if attr.endswith("date"):
        try:
            return attr, m["op"], datetime.fromisoformat(raw)
        except ValueError:
            raise _HttpError(400, f"BMXAA0000E - {raw!r} is not an ISO date") from None
    return attr, m["op"], raw


def _matches(wo: WorkOrder, term: tuple[str, str, Any]) -> bool:
    attr, op, value = term
    if attr.startswith("doclinks."):  # related MBO: true if any doclink matches (an EXISTS)
        sub = attr.split(".", 1)[1]
        field_name = {"createdate": "created"}.get(sub, sub)
        return any(_compare(getattr(d, field_name), op, value) for d in wo.doclinks)
    return _compare(_value(wo, attr), op, value)


def _value(wo: WorkOrder, attr: str) -> Any:
    if not hasattr(wo, attr):
        raise _HttpError(400, f"BMXAA0000E - unknown attribute {attr}")
    return getattr(wo, attr)


def _compare(actual: Any, op: str, value: Any) -> bool:
    if op == "in":
        return str(actual) in value
    if actual is None:
        return False
    return {"=": actual == value, "!=": actual != value, ">=": actual >= value, ">": actual > value,
            "<=": actual <= value, "<": actual < value}[op]


def _iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")
