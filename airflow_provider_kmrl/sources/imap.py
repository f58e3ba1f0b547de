"""The e-mail source (``kind: imap``): every attachment of one mailbox becomes a document.

Listing reads only what the server says about each message (UID, INTERNALDATE, a few headers,
BODYSTRUCTURE); attachment bytes are fetched part by part in ranges with ``BODY.PEEK``, so a
message is never downloaded whole and never marked ``\\Seen`` (the mailbox is opened with
EXAMINE as well).

Source ids survive UIDVALIDITY resets and Gmail's label folders: ``<identity>/<part number>``,
where the identity is ``gm:<X-GM-MSGID>``, ``mid:<Message-ID>`` or ``hdr:<digest of the header
block>``. The checkpoint is ``{"version": 1, "mailboxes": {<name>: {"uidvalidity", "last_uid"}}}``:
every message with a UID up to ``last_uid`` is done. A changed UIDVALIDITY starts the mailbox
over from UID 1; the ids above make that a re-listing, not a re-ingest.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from pydantic import ByteSize, Field

from airflow_provider_kmrl.core.types import SourceItem, Window
from airflow_provider_kmrl.sources.base import SourceKind, SourceOptions

if TYPE_CHECKING:
    from airflow_provider_kmrl.hooks.imap import KmrlImapHook, MailboxState
    from airflow_provider_kmrl.sources.mail_message import ListedMessage

log = logging.getLogger(__name__)
CHECKPOINT_VERSION = 1
DEFAULT_CONN_ID = "kmrl_imap"


class ImapOptions(SourceOptions):
    mailbox: str = Field(default="INBOX", description="Mailbox name, or a special-use flag such as '\\All'.")
    include_inline: bool = Field(default=False, description="Also ingest inline parts (images in HTML mail).")
    forwarded: Literal["attachments", "message"] = Field(
        default="attachments", description="Forwarded messages: ingest their attachments, or the whole .eml."
    )
    fetch_batch: int = Field(default=200, ge=1, le=5000, description="Messages per metadata FETCH.")
    chunk_size: ByteSize = Field(
        default=ByteSize(1024 * 1024), ge=1024, description="Bytes per ranged fetch."
    )
    max_messages_per_run: int | None = Field(default=None, ge=1, description="Bound a run (first sync).")
    connections: int = Field(default=4, ge=1, le=16, description="IMAP sessions used to fetch parts.")


class ImapSource:
    """Attachments of ``options.mailbox``, listed in UID order."""

    def __init__(self, name: str, options: ImapOptions, conn_id: str = DEFAULT_CONN_ID) -> None:
        self.name = name
        self.options = options
        self.conn_id = conn_id
        self._lister_hook: KmrlImapHook | None = None
        self._lock = threading.RLock()
        self._sessions = _Sessions(conn_id, options.connections)
        self._mailbox_name: str | None = None
        self._idle_marks: dict[str, dict[str, int]] = {}

    # -- listing ----------------------------------------------------------------------------

    def list_items(self, checkpoint: dict[str, Any] | None, window: Window | None) -> Iterator[SourceItem]:
        mailbox = self.mailbox()
        if window is not None:
            yield from self._window_items(mailbox, window)
        else:
            yield from self._incremental_items(mailbox, checkpoint)

    def _incremental_items(self, mailbox: str, checkpoint: dict[str, Any] | None) -> Iterator[SourceItem]:
        hook = self._lister()
        mark = _mark(checkpoint, mailbox)
        self._idle_marks.pop(mailbox, None)
        with self._lock:
            status = hook.status(mailbox)
        unchanged = mark is not None and mark["uidvalidity"] == status.uidvalidity
        if mark is not None and unchanged and 0 < status.uidnext <= mark["last_uid"] + 1:  # UIDNEXT may be 0
            log.info(
                "mailbox %r: nothing new (UIDNEXT %d, checkpoint at UID %d)",
                mailbox,
                status.uidnext,
                mark["last_uid"],
            )
            return
        with self._lock:
            state = hook.examine(mailbox)
            start = 1
            if mark and mark["uidvalidity"] == state.uidvalidity:
                start = mark["last_uid"] + 1
            elif mark:
                log.warning(
                    "mailbox %r: UIDVALIDITY changed %d -> %d; listing it again from UID 1 "
                    "(documents already recorded are skipped)",
                    mailbox,
                    mark["uidvalidity"],
                    state.uidvalidity,
                )
            # "UID n:*" also returns the highest UID when n is beyond it (RFC 3501 6.4.8).
            uids = [u for u in hook.uid_search("ALL" if start == 1 else f"UID {start}:*") if u >= start]
        if self.options.max_messages_per_run:
            uids = uids[: self.options.max_messages_per_run]
        log.info(
            "mailbox %r (UIDVALIDITY %d): %d messages from UID %d",
            mailbox,
            state.uidvalidity,
            len(uids),
            start,
        )
        scanned = uids[-1] if uids else start - 1
        yielded = 0
        for item in _with_marks(self._items(mailbox, state, uids, window=None), scanned):
            yielded += 1
            yield item
        if not yielded and scanned >= start:
            # Nothing to ingest in what was scanned (mail without attachments): the cursor may
            # skip it, but only the engine can save that (see next_checkpoint).
            self._idle_marks[mailbox] = {"uidvalidity": state.uidvalidity, "last_uid": scanned}

    def _window_items(self, mailbox: str, window: Window) -> Iterator[SourceItem]:
        from airflow_provider_kmrl.hooks.imap_wire import search_date

        hook = self._lister()
        with self._lock:
            state = hook.examine(mailbox)
            # SEARCH SINCE/BEFORE compare dates only, in each message's own time zone: widen by a
            # day on both sides and keep exactly [start, end) by INTERNALDATE below.
            since = search_date(window.start - timedelta(days=1))
            before = search_date(window.end + timedelta(days=1))
            uids = hook.uid_search(f"SINCE {since} BEFORE {before}")
        log.info(
            "mailbox %r: %d candidate messages for %s .. %s", mailbox, len(uids), window.start, window.end
        )
        yield from self._items(mailbox, state, uids, window)

    def _items(
        self, mailbox: str, state: MailboxState, uids: Sequence[int], window: Window | None
    ) -> Iterator[SourceItem]:
        seen: set[str] = set()
        for start in range(0, len(uids), self.options.fetch_batch):
            for message in self._describe(uids[start : start + self.options.fetch_batch], mailbox):
                if window is not None and not window.contains(message.internaldate):
                    continue
                for item in self._message_items(mailbox, state.uidvalidity, message):
                    if item.source_id in seen:  # the same message twice in one mailbox
                        log.info(
                            "skipping %s (UID %d): listed already in this run", item.source_id, message.uid
                        )
                        continue
                    seen.add(item.source_id)
                    yield item

    def _describe(self, uids: Sequence[int], mailbox: str | None = None) -> list[ListedMessage]:
        """One FETCH for a batch of messages: headers and structure, no bodies.

        A batch the server cannot describe within imaplib's line limit (a BODYSTRUCTURE over 1 MB)
        is asked again message by message, on a new session; the one message that still fails is
        described as unreadable (one rejected row), never the whole listing.
        """
        from airflow_provider_kmrl.hooks.imap import ImapCommandError

        if not uids:
            return []
        try:
            with self._lock:
                return self._describe_batch(uids)
        except ImapCommandError as err:
            self._reset_lister(mailbox)  # the session may still hold the rest of the over-long line
            if len(uids) == 1:
                log.warning("message UID %d cannot be described (%s); recorded as rejected", uids[0], err)
                return [_unreadable(uids[0], str(err))]
            log.warning("describing %d messages failed (%s); asking one by one", len(uids), err)
            return [m for uid in uids for m in self._describe([uid], mailbox)]

    def _describe_batch(self, uids: Sequence[int]) -> list[ListedMessage]:
        from airflow_provider_kmrl.hooks.imap_wire import uid_set
        from airflow_provider_kmrl.sources.mail_message import HEADER_ITEM, listed_message, with_header_digest

        hook = self._lister()
        items = f"UID INTERNALDATE RFC822.SIZE BODYSTRUCTURE {HEADER_ITEM}"
        if "X-GM-EXT-1" in hook.capabilities:
            items += " X-GM-MSGID"
        wanted = set(uids)
        records = hook.uid_fetch(uid_set(uids), f"({items})")
        messages = {m.uid: m for m in map(listed_message, records) if m.uid in wanted}
        anonymous = [uid for uid, m in messages.items() if not (m.gm_msgid or m.message_id)]
        if anonymous:
            for record in hook.uid_fetch(uid_set(anonymous), "(UID BODY.PEEK[HEADER])"):
                uid = int(record["UID"])
                header = next((v for k, v in record.items() if k.startswith("BODY[HEADER")), b"") or b""
                if uid in messages:
                    messages[uid] = with_header_digest(messages[uid], header)
        return [messages[uid] for uid in sorted(messages)]

    def _reset_lister(self, mailbox: str | None) -> None:
        with self._lock:
            if self._lister_hook is not None:
                with contextlib.suppress(Exception):
                    self._lister_hook.close()
                self._lister_hook = None
            if mailbox:
                self._lister().ensure_examined(mailbox)

    def _message_items(self, mailbox: str, uidvalidity: int, message: ListedMessage) -> Iterator[SourceItem]:
        from airflow_provider_kmrl.sources.mail_structure import document_parts

        base = {"folder": mailbox, "uidvalidity": uidvalidity, "uid": message.uid, **message.metadata()}
        identity = message.identity()
        if message.structure_error and message.structure_error.startswith(UNREADABLE):
            yield SourceItem(
                source_id=f"uid:{uidvalidity}:{message.uid}/message",
                file_name=f"message-{message.uid}.eml",
                source_ts=message.internaldate,
                metadata={**base, "part": ""},
                problem=message.structure_error,
            )
            return
        if message.structure is None:
            # The server could not describe it: keep the whole message as one .eml document.
            yield SourceItem(
                source_id=f"{identity}/message",
                file_name=f"message-{message.uid}.eml",
                source_ts=message.internaldate,
                size_hint=message.size,
                sender=message.sender,
                metadata={
                    **base,
                    "part": "",
                    "content_type": "message/rfc822",
                    "encoding": "binary",
                    "encoded_size": message.size,
                    "content_disposition": None,
                    "inline": False,
                    "nested_in": None,
                    "structure_error": message.structure_error,
                },
            )
            return
        for doc in document_parts(message.structure, self.options.include_inline, self.options.forwarded):
            part = doc.part
            yield SourceItem(
                source_id=f"{identity}/{part.path}",
                file_name=doc.file_name,
                source_ts=message.internaldate,
                size_hint=_decoded_size(part.size, part.encoding),
                sender=message.sender,
                metadata={
                    **base,
                    "part": part.path,
                    "content_type": part.content_type,
                    "encoding": part.encoding,
                    "encoded_size": part.size,
                    "content_disposition": part.disposition,
                    "inline": doc.inline,
                    "nested_in": doc.nested_in,
                },
            )

    def mailbox(self) -> str:
        """The mailbox to read; a special-use flag (``\\All``) is resolved by LIST, once."""
        if self._mailbox_name is None:
            wanted = self.options.mailbox
            if wanted.startswith("\\"):
                from airflow_provider_kmrl.exceptions import SourceError

                with self._lock:
                    found = self._lister().special_use(wanted)
                if found is None:
                    raise SourceError(f"no mailbox has the special-use flag {wanted} on this server")
                log.info("special-use %s is mailbox %r", wanted, found)
                wanted = found
            self._mailbox_name = wanted
        return self._mailbox_name

    # -- fetching ---------------------------------------------------------------------------

    def open(self, item: SourceItem) -> AbstractContextManager[BinaryIO]:
        from airflow_provider_kmrl.sources.mail_decode import PartStream

        meta = item.metadata
        folder, uidvalidity, uid, part = (
            meta["folder"],
            int(meta["uidvalidity"]),
            int(meta["uid"]),
            meta["part"],
        )

        def fetch(offset: int, length: int) -> bytes:
            with self._sessions.session(folder, uidvalidity) as hook:
                data = hook.fetch_range(uid, part, offset, length)
            if data is None:
                raise LookupError(f"message UID {uid} is no longer in {folder!r}")
            return data

        return PartStream(fetch, meta.get("encoding"), int(self.options.chunk_size))  # type: ignore[return-value]

    def reopen(self, source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem | None:
        folder, uid, uidvalidity = metadata.get("folder"), metadata.get("uid"), metadata.get("uidvalidity")
        if not folder or uid is None or uidvalidity is None:
            return None
        hook = self._lister()
        with self._lock:
            state = hook.examine(folder)
            if state.uidvalidity == int(uidvalidity):
                if any(int(r["UID"]) == int(uid) for r in hook.uid_fetch(str(uid), "(UID)")):
                    return _rebuilt(source_id, file_name, metadata)
                return None
            candidates = self._find_again(hook, metadata)
        for message in self._describe(candidates):
            for item in self._message_items(folder, state.uidvalidity, message):
                if item.source_id == source_id:
                    return item
        return None

    def _find_again(self, hook: KmrlImapHook, metadata: dict[str, Any]) -> list[int]:
        """After a UIDVALIDITY reset: the message's new UID, by X-GM-MSGID or Message-ID."""
        from airflow_provider_kmrl.hooks.imap_wire import quote

        if metadata.get("gm_msgid") and "X-GM-EXT-1" in hook.capabilities:
            return hook.uid_search(f"X-GM-MSGID {int(metadata['gm_msgid'])}")
        message_id = metadata.get("message_id")
        if message_id and message_id.isascii():
            return hook.uid_search(f"HEADER Message-ID {quote(message_id)}")
        return []

    # -- cursor -----------------------------------------------------------------------------

    def next_checkpoint(
        self, checkpoint: dict[str, Any] | None, committed: Sequence[SourceItem]
    ) -> dict[str, Any] | None:
        current = checkpoint if checkpoint and checkpoint.get("version") == CHECKPOINT_VERSION else None
        updated: dict[str, Any] = (copy.deepcopy(current) if current
                                   else {"version": CHECKPOINT_VERSION, "mailboxes": {}})
        marks: dict[str, Any] = updated.setdefault("mailboxes", {})
        for item in committed:
            meta = item.metadata
            if "checkpoint_uid" not in meta:
                continue
            _advance(marks, meta["folder"], int(meta["uidvalidity"]), int(meta["checkpoint_uid"]))
        if not committed:
            # Called after a listing that offered nothing: the scanned messages had no documents.
            for folder, mark in self._idle_marks.items():
                _advance(marks, folder, mark["uidvalidity"], mark["last_uid"])
            self._idle_marks.clear()
        return (
            updated
            if updated != (current or {"version": CHECKPOINT_VERSION, "mailboxes": {}})
            else checkpoint
        )

    def after_ingest(self, item: SourceItem) -> None:
        """Nothing: the mailbox is only ever read (no flags, no moves)."""

    def close(self) -> None:
        with self._lock:
            if self._lister_hook is not None:
                self._lister_hook.close()
                self._lister_hook = None
        self._sessions.close()

    def _lister(self) -> KmrlImapHook:
        """The session that lists (used from the engine's main thread only)."""
        if self._lister_hook is None:
            from airflow_provider_kmrl.hooks.imap import KmrlImapHook

            self._lister_hook = KmrlImapHook(imap_conn_id=self.conn_id)
        return self._lister_hook


class _Sessions:
    """A few IMAP sessions shared by the engine's worker threads, one command at a time each."""

    def __init__(self, conn_id: str, size: int) -> None:
        self.conn_id = conn_id
        self.size = size
        self._idle: list[KmrlImapHook] = []
        self._created = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def session(self, folder: str, uidvalidity: int) -> Iterator[KmrlImapHook]:
        from airflow_provider_kmrl.hooks.imap import ImapCommandError, KmrlImapHook

        with self._cond:
            while not self._idle and self._created >= self.size:
                self._cond.wait()
            if self._idle:
                hook = self._idle.pop()
            else:
                hook = KmrlImapHook(imap_conn_id=self.conn_id)
                self._created += 1
        try:
            state = hook.ensure_examined(folder)
            if state.uidvalidity != uidvalidity:
                raise ImapCommandError(
                    f"{folder!r} was reset (UIDVALIDITY {uidvalidity} -> {state.uidvalidity}); "
                    "the next run finds the message again by its Message-ID"
                )
            yield hook
        finally:
            with self._cond:
                self._idle.append(hook)
                self._cond.notify()

    def close(self) -> None:
        with self._cond:
            for hook in self._idle:
                hook.close()
            self._idle.clear()
            self._created = 0


def _with_marks(items: Iterator[SourceItem], scanned: int) -> Iterator[SourceItem]:
    """Give each item the UID the cursor may reach once it and everything before it are committed.

    Items come in UID order. Before the next item (of a later message) is committed, every
    message below that message's UID is done, including mail without attachments in between;
    the last item covers everything scanned. One item is held back to know its successor.
    """
    held: SourceItem | None = None
    for item in items:
        if held is not None:
            held.metadata["checkpoint_uid"] = int(item.metadata["uid"]) - 1
            yield held
        held = item
    if held is not None:
        held.metadata["checkpoint_uid"] = scanned
        yield held


def _mark(checkpoint: dict[str, Any] | None, mailbox: str) -> dict[str, int] | None:
    if not checkpoint or checkpoint.get("version") != CHECKPOINT_VERSION:
        return None
    mark = (checkpoint.get("mailboxes") or {}).get(mailbox)
    if not mark or "uidvalidity" not in mark or "last_uid" not in mark:
        return None
    return {"uidvalidity": int(mark["uidvalidity"]), "last_uid": int(mark["last_uid"])}


def _advance(marks: dict[str, Any], folder: str, uidvalidity: int, last_uid: int) -> None:
    mark = marks.get(folder)
    if mark is None or int(mark.get("uidvalidity", -1)) != uidvalidity:
        marks[folder] = {"uidvalidity": uidvalidity, "last_uid": last_uid}
    elif last_uid > int(mark["last_uid"]):
        mark["last_uid"] = last_uid


def _rebuilt(source_id: str, file_name: str, metadata: dict[str, Any]) -> SourceItem:
    ts = metadata.get("internaldate")
    return SourceItem(
        source_id=source_id,
        file_name=file_name,
        source_ts=datetime.fromisoformat(ts) if ts else None,
        size_hint=_decoded_size(int(metadata.get("encoded_size") or 0), metadata.get("encoding")),
        sender=metadata.get("from"),
        metadata=dict(metadata),
    )


def _decoded_size(encoded: int, encoding: str | None) -> int | None:
    """A lower bound of the decoded size, to reject huge parts before fetching them."""
    if encoded <= 0:
        return None
    encoding = (encoding or "").lower()
    if encoding == "base64":
        return encoded * 57 // 78  # 76 characters + CRLF carry 57 bytes
    if encoding == "quoted-printable":
        return encoded // 3
    return encoded


#: Registered through the entry point ``airflow_provider_kmrl.sources`` in ``pyproject.toml``.
KIND = SourceKind(
    kind="imap",
    options_model=ImapOptions,
    factory=lambda name, options, conn_id: ImapSource(name, options, conn_id or DEFAULT_CONN_ID),
    supports_window=True,
    extra="imap",
    requires=("airflow.providers.imap",),
)


UNREADABLE = "the server's description of this message cannot be read"


def _unreadable(uid: int, error: str) -> ListedMessage:
    """A message the listing could not describe: it becomes one rejected row with the reason."""
    from airflow_provider_kmrl.sources.mail_message import ListedMessage

    reason = f"{UNREADABLE} (a message structure over imaplib's 1 MB line limit?): {error[:200]}"
    return ListedMessage(uid=uid, internaldate=None, size=0, structure=None, structure_error=reason,
                         message_id=None, gm_msgid=None, subject=None, sender=None, to=[], cc=[], date=None)
