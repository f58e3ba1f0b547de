"""Work-order attachments from IBM Maximo's REST (OSLC) API.

One item per doclink (attachment) of each work order in the ``MXAPIWODETAIL`` object structure;
``source_id`` is ``doclink/<doclink id>`` (Maximo's DOCLINKS id, unique per instance and stable).
Row metadata carries the work order's ``wonum``, ``siteid``, ``worktype``, ``status``,
``assetnum``, ``location`` and ``description``. URL-type doclinks (links to web pages) are
recorded, not fetched.

Cursor: two watermarks, both queried with an overlap and deduplicated by the documents table.

- ``changedate``: work orders changed since the last committed one (ordered by ``changedate``,
  stable paging). This finds new work orders and every change that bumps ``changedate``.
- ``attached_since``: work orders that got an attachment since the previous run, found through
  the doclinks relationship (``doclinks.createdate>=...``). Whether Maximo bumps a work order's
  ``changedate`` when only a doclink is added is not documented; this query finds those
  attachments either way, including attachments added to work orders closed long ago. Its value
  is Maximo's own clock (the ``Date`` of the response) when the query ran, so a skewed clock on
  the Airflow worker cannot open a gap.

Both advance only over the *global* committed prefix of what this run listed: the source numbers
the items it yields and moves a watermark only once every item before its mark is committed.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO

from pydantic import Field, field_validator

from airflow_provider_kmrl.core.types import SourceItem, Window
from airflow_provider_kmrl.exceptions import SourceError
from airflow_provider_kmrl.sources.base import SourceKind, SourceOptions

log = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1
WO_FIELDS = ("wonum", "siteid", "worktype", "status", "assetnum", "location", "description")
FILE_URL_TYPES = frozenset({"FILE", "", None})


class MaximoOptions(SourceOptions):
    object_structure: str = Field(default="MXAPIWODETAIL", pattern=r"^[A-Za-z0-9_]+$")
    site: list[str] | None = Field(default=None, description="Site id(s); default: the connection's site.")
    where: str | None = Field(default=None, description='Extra oslc.where clause (e.g. worktype="CM").')
    page_size: int = Field(default=100, ge=1, le=1000)
    overlap_minutes: int = Field(default=60, ge=0, description="Re-query this far behind each watermark.")
    attachment_filter: str | None = Field(
        default="doclinks.createdate",
        description="Related attribute that finds work orders with new attachments; null: off.",
    )
    max_connections: int = Field(default=4, ge=1, le=32, description="Requests to Maximo at once.")
    default_department: str = Field(default="engineering",
                                    description="Department when the classifier is not confident.")

    @field_validator("site", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class MaximoSource:
    """Attachments of Maximo work orders, streamed from the API."""

    def __init__(
        self, name: str, options: MaximoOptions, conn_id: str | None = None, hook: Any = None
    ) -> None:
        self.name = name
        self.options = options
        self.conn_id = conn_id or "kmrl_maximo"
        self._hook = hook
        self._client = None
        self._reset_run()

    def _reset_run(self) -> None:
        self._seq: dict[str, int] = {}  # source_id -> position in this run's listing
        self._marks: list[tuple[int, str, str]] = []  # (last seq it needs, watermark, value)
        self._done: set[int] = set()
        self._next = 0  # every seq below this is committed
        self._count = 0

    @property
    def client(self):
        if self._client is None:
            if self._hook is None:
                from airflow_provider_kmrl.hooks.maximo import MaximoHook

                self._hook = MaximoHook(self.conn_id, max_connections=self.options.max_connections)
            self._client = self._hook.get_conn()
        return self._client

    def _sites(self) -> list[str]:
        if self.options.site:
            return self.options.site
        site = self._hook.site() if self._hook is not None and hasattr(self._hook, "site") else None
        return [site] if site else []

    # -- listing ----------------------------------------------------------------------------

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        self._reset_run()
        client = self.client  # fail here, before anything is listed, on a bad connection
        seen: set[str] = set()
        if window is not None:
            yield from self._emit(self._window_items(window), seen)
            return
        state = _state(checkpoint)
        overlap = timedelta(minutes=self.options.overlap_minutes)
        server_now: str | None
        if state.get("attached_since") and self.options.attachment_filter:
            since = _parse(state["attached_since"]) - overlap
            found, server_now = self._attached_since(since)
            yield from self._emit(found, seen)
            self._mark("attached_since", server_now)
        since_change = _parse(state["changedate"]) - overlap if state.get("changedate") else None
        where = self._where(f'changedate>="{_iso(since_change)}"' if since_change else None)
        server_now = None
        for wo, date in client.query(self.options.object_structure, where=where, select=_select(),
                                     order_by="+changedate,+wonum", page_size=self.options.page_size):
            if server_now is None:
                server_now = date
                if not state.get("attached_since"):  # first run: attachments from now on are found by date
                    self._mark("attached_since", _server_time(date))
            yield from self._emit(self._doclink_items(wo), seen)
            if wo.get("changedate"):
                self._mark("changedate", wo["changedate"])
        log.info("source=%s listed %d attachments", self.name, self._count)

    def _attached_since(self, since: datetime) -> tuple[list[SourceItem], str | None]:
        """Attachments created since ``since`` on any work order, oldest first, and Maximo's clock."""
        attr = self.options.attachment_filter
        where = self._where(f'{attr}>="{_iso(since)}"')
        items, server_now = [], None
        for wo, date in self.client.query(self.options.object_structure, where=where, select=_select(),
                                          order_by="+wonum", page_size=self.options.page_size):
            server_now = server_now or date
            items += self._doclink_items(wo)  # older ones too: the documents table skips what it has
        if server_now is None:  # nothing matched: one cheap request for Maximo's clock
            _, server_now = self.client.get_json(self.client.os_url(self.options.object_structure),
                                                 {"lean": 1, "oslc.select": "wonum", "oslc.pageSize": 1})
        items.sort(key=lambda i: (_created(i) or since, i.source_id))
        return items, _server_time(server_now)

    def _window_items(self, window: Window) -> Iterator[SourceItem]:
        attr = self.options.attachment_filter
        if attr:
            where = self._where(f'{attr}>="{_iso(window.start)}" and {attr}<"{_iso(window.end)}"')
        else:  # without the related filter, attachments of work orders changed since the window began
            where = self._where(f'changedate>="{_iso(window.start)}"')
        for wo, _ in self.client.query(self.options.object_structure, where=where, select=_select(),
                                       order_by="+changedate,+wonum", page_size=self.options.page_size):
            for item in self._doclink_items(wo):
                if window.contains(item.source_ts):
                    yield item

    def _where(self, clause: str | None) -> str | None:
        parts = [clause] if clause else []
        sites = self._sites()
        if len(sites) == 1:
            parts.append(f'siteid="{_quote(sites[0])}"')
        elif sites:
            parts.append("siteid in [" + ",".join(f'"{_quote(s)}"' for s in sites) + "]")
        if self.options.where:
            parts.append(self.options.where)
        return " and ".join(parts) or None

    def _doclink_items(self, wo: dict[str, Any]) -> list[SourceItem]:
        """The work order's attachments; one request to its doclinks collection."""
        link = wo.get("doclinks")
        href = link.get("href") if isinstance(link, dict) else None
        # Some releases render child collections as "<name>_collectionref"; failing both, the
        # collection sits under the record's own href.
        href = href or wo.get("doclinks_collectionref")
        if not href and wo.get("href"):
            href = f"{wo['href'].rstrip('/')}/doclinks"
        if not href:
            return []
        return [self._item(wo, member, href) for member in self.client.doclinks(href)]

    def _item(self, wo: dict[str, Any], member: dict[str, Any], collection: str) -> SourceItem:
        d = member.get("describedBy") or {}
        doc_id = str(d.get("identifier") or posixpath.basename(member.get("href", "").rstrip("/")))
        member_href = member.get("href") or f"{collection.rstrip('/')}/{doc_id}"
        url_type = d.get("urlType")
        name = d.get("fileName") or d.get("title") or f"doclink-{doc_id}"
        meta = {f: wo.get(f) for f in WO_FIELDS}
        meta.update(
            workorderid=wo.get("workorderid"), changedate=wo.get("changedate"), doclink_id=doc_id,
            href=self.client.url(member_href), doc_type=d.get("docType"), title=d.get("title"),
            doclink_description=d.get("description"), url_type=url_type, created=d.get("created"),
            modified=d.get("modified"), mime_type=(d.get("format") or {}).get("label"),
            object_structure=self.options.object_structure,
            default_department=self.options.default_department,
        )
        if url_type not in FILE_URL_TYPES:
            target = d.get("urlname") or d.get("url") or member_href
            meta.update(url=target, not_fetched=f"URL-type doclink (link to {target}): recorded, not fetched")
        size = d.get("attachmentSize")
        return SourceItem(
            source_id=f"doclink/{doc_id}",
            file_name=name,
            source_ts=_parse(d["created"]) if d.get("created") else None,
            size_hint=int(size) if isinstance(size, (int, float)) and size > 0 else None,
            sender=d.get("createby") or d.get("changeby"),
            metadata={k: v for k, v in meta.items() if v is not None},
        )

    def _emit(self, items, seen: set[str]) -> Iterator[SourceItem]:
        for item in items:
            if item.source_id in seen:  # found by both queries
                continue
            seen.add(item.source_id)
            self._seq[item.source_id] = self._count
            self._count += 1
            yield item

    def _mark(self, watermark: str, value: str | None) -> None:
        if value:
            self._marks.append((self._count - 1, watermark, value))

    # -- reading ----------------------------------------------------------------------------

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        if item.metadata.get("not_fetched"):
            raise SourceError(item.metadata["not_fetched"])
        return self._download(item.metadata["href"])

    @contextmanager
    def _download(self, href: str) -> Iterator[BinaryIO]:
        with self.client.download(href) as stream:
            yield stream

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        from airflow_provider_kmrl.hooks.maximo import MaximoNotFound

        href = metadata.get("href")
        if not href or not source_id.startswith("doclink/"):
            return None
        if not metadata.get("not_fetched"):
            meta_href = href.replace("/doclinks/", "/doclinks/meta/", 1)
            try:
                self.client.get_json(meta_href)
            except MaximoNotFound:
                return None
        created = metadata.get("created")
        return SourceItem(source_id, file_name, _parse(created) if created else None, None,
                          metadata=dict(metadata))

    # -- cursor -----------------------------------------------------------------------------

    def next_checkpoint(
        self, checkpoint: dict[str, Any] | None, committed: Sequence[SourceItem]
    ) -> dict[str, Any] | None:
        self._done.update(self._seq[i.source_id] for i in committed if i.source_id in self._seq)
        while self._next in self._done:
            self._done.discard(self._next)
            self._next += 1
        state = dict(_state(checkpoint))
        reached = [m for m in self._marks if m[0] < self._next]
        self._marks = [m for m in self._marks if m[0] >= self._next]
        for _, watermark, value in reached:
            state[watermark] = value
        if not state:
            return checkpoint
        return {"version": CHECKPOINT_VERSION, **state}

    def after_ingest(self, item: SourceItem) -> None:
        """Nothing: attachments stay in Maximo."""

    def close(self) -> None:
        if self._hook is not None and hasattr(self._hook, "close"):
            self._hook.close()
        self._client = None


def _select() -> str:
    return ",".join(("workorderid", *WO_FIELDS, "changedate", "doclinks"))


def _state(checkpoint: dict[str, Any] | None) -> dict[str, Any]:
    if not checkpoint or checkpoint.get("version") != CHECKPOINT_VERSION:
        return {}
    return {k: v for k, v in checkpoint.items() if k in ("changedate", "attached_since") and v}


def _parse(value: str) -> datetime:
    ts = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def _iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


def _created(item: SourceItem) -> datetime | None:
    return item.source_ts


def _server_time(http_date: str | None) -> str | None:
    if not http_date:
        return None
    return _iso(parsedate_to_datetime(http_date).astimezone(timezone.utc))


def _quote(value: str) -> str:
    return value.replace('"', "")


#: Registered through the entry point ``airflow_provider_kmrl.sources`` in ``pyproject.toml``.
KIND = SourceKind(
    kind="maximo",
    options_model=MaximoOptions,
    factory=lambda name, options, conn_id: MaximoSource(name, options, conn_id),
    supports_window=True,
)
