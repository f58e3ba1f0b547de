"""The e-mail source end to end against a real Dovecot, clamd, S3 server and Postgres."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from airflow_provider_kmrl.pipeline.engine import IngestEngine, IngestSettings
from airflow_provider_kmrl.pipeline.models import Window
from airflow_provider_kmrl.sources.imap import ImapOptions, ImapSource
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.imap import messages


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def engine_for(catalog, scanner, store, buckets, tmp_path, **settings) -> IngestEngine:
    raw, quarantine = buckets
    defaults = dict(
        raw_bucket=raw,
        quarantine_bucket=quarantine,
        batch_size=10,
        concurrency=3,
        spool_dir=str(tmp_path / "spool"),
    )
    return IngestEngine(catalog, scanner, store, settings=IngestSettings(**{**defaults, **settings}))


def source_for(folder, conn_id: str, name: str = "mail", **options) -> ImapSource:
    return ImapSource(name, ImapOptions(mailbox=folder.name, **options), conn_id)


def run(engine: IngestEngine, source: ImapSource, checkpoint=None, window=None):
    try:
        return engine.run(source, checkpoint, window)
    finally:
        source.close()


def senders(dsn: str, source: str) -> dict[str, str]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT source_id, sender FROM documents WHERE source_system = %s", (source,))
        return dict(cur.fetchall())


def row_of(found: list[dict], uid: int, part: str) -> dict:
    matches = [
        r for r in found if r["source_metadata"]["uid"] == uid and r["source_metadata"]["part"] == part
    ]
    assert len(matches) == 1, (
        uid,
        part,
        [(r["source_metadata"]["uid"], r["source_metadata"]["part"]) for r in found],
    )
    return matches[0]


def test_every_shape_of_attachment_lands_once_with_its_metadata(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    store = LocalFolderStore(str(tmp_path / "store"))
    tag = uuid.uuid4().hex[:8]
    mails = messages.every_shape(tag)
    for mail in mails:
        mail_folder.add(mail.raw)
    engine = engine_for(catalog, scanner, store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()

    # chunk_size 1500 splits base64 quanta and quoted-printable escapes across ranged fetches.
    summary = run(engine, source_for(mail_folder, imap_conn, chunk_size=1500), checkpoint)

    found = rows(catalog.dsn, "mail")
    expected = [(uid, mail, doc) for uid, mail in enumerate(mails, 1) for doc in mail.docs if not doc.inline]
    assert len(found) == len(expected), (
        "every attachment is exactly one row; bodies and inline images are not"
    )
    assert summary.processed == len(expected) and "pending" not in summary.by_status
    for uid, mail, doc in expected:
        row = row_of(found, uid, doc.part)
        meta = row["source_metadata"]
        assert row["file_name"] == doc.file_name, (mail.key, doc.part)
        assert row["checksum"] == sha256(doc.payload), f"{mail.key} part {doc.part} decoded wrongly"
        assert row["file_size"] == len(doc.payload)
        assert meta["folder"] == mail_folder.name and meta["nested_in"] == doc.nested_in
        if doc.status in ("success", "duplicate"):
            assert row["status"] in ("success", "duplicate"), (
                mail.key,
                row["status"],
                row["rejection_reason"],
            )
        else:
            assert row["status"] == doc.status, (mail.key, row["status"], row["rejection_reason"])
            assert doc.reason in row["rejection_reason"], (mail.key, row["rejection_reason"])
        if mail.message_id:
            assert row["source_id"].startswith(f"mid:{mail.message_id}#") and row["source_id"].endswith(f"/{doc.part}")
        else:
            assert row["source_id"].startswith("hdr:") and row["source_id"].endswith(f"/{doc.part}")

    by_key = {mail.key: uid for uid, mail in enumerate(mails, 1)}
    # The same PDF in two messages: one stored original and one duplicate pointing at it.
    pair = [row_of(found, by_key[k], "2") for k in ("dup1", "dup2")]
    assert sorted(r["status"] for r in pair) == ["duplicate", "success"]
    original = next(r for r in pair if r["status"] == "success")
    assert next(r for r in pair if r["status"] == "duplicate")["duplicate_of"] == original["id"]
    assert row_of(found, by_key["eicar"], "2")["scan_signature"].startswith("Kmrl.Test.EICAR")
    assert row_of(found, by_key["wrongtype"], "3")["mime_type"] == "application/pdf", (
        "magic bytes beat the header"
    )

    plain = row_of(found, by_key["plain"], "2")["source_metadata"]
    assert plain["subject"] == f"Monthly report {tag}" and plain["message_id"] == mails[0].message_id
    assert plain["from"] == "Operations Desk <ops@kmrl.example>"
    assert plain["to"] == ["Records <records@kmrl.example>", "Director, Ops <director@kmrl.example>"]
    assert plain["cc"] == ["Finance <finance@kmrl.example>"]
    assert plain["content_disposition"] == "attachment" and plain["date"].startswith("Mon, 02 Mar 2026")
    names = row_of(found, by_key["names"], "2")
    assert names["source_metadata"]["subject"] == f"സർക്കുലർ {tag}"
    assert senders(catalog.dsn, "mail")[names["source_id"]] == "രാമൻ നായർ <raman@kmrl.example>"

    state = mail_folder.status()
    assert state["UNSEEN"] == state["MESSAGES"] == len(mails), "ingesting must not mark mail as read"
    assert checkpoint.value == {
        "version": 1,
        "mailboxes": {mail_folder.name: {"uidvalidity": state["UIDVALIDITY"], "last_uid": len(mails)}},
    }

    # A rerun lists nothing (STATUS says nothing is new) and adds nothing.
    again = run(engine, source_for(mail_folder, imap_conn), checkpoint)
    assert (again.listed, again.processed) == (0, 0)
    # Without the checkpoint everything is listed again, and recognised: still no new row or object.
    objects = sorted(o.key for o in store.list_objects(buckets[0]))
    cold = run(engine, source_for(mail_folder, imap_conn), MemoryCheckpoint())
    assert cold.processed == 0 and cold.skipped_known == len(expected)
    assert len(rows(catalog.dsn, "mail")) == len(expected)
    assert sorted(o.key for o in store.list_objects(buckets[0])) == objects

    # Inline images are an option.
    inline = run(
        engine,
        source_for(mail_folder, imap_conn, name="mail_inline", include_inline=True),
        MemoryCheckpoint(),
    )
    logo = row_of(rows(catalog.dsn, "mail_inline"), by_key["inline"], "1.2.2")
    assert logo["file_name"] == "logo.png" and logo["source_metadata"]["inline"] is True
    assert logo["checksum"] == sha256(mails[by_key["inline"] - 1].docs[0].payload)
    assert inline.processed == len(expected) + 1


def test_a_message_with_fifty_attachments(tmp_path, catalog, scanner, buckets, mail_folder, imap_conn):
    mail = messages.many_attachments(uuid.uuid4().hex[:8], count=50)
    mail_folder.add(mail.raw)
    store = LocalFolderStore(str(tmp_path / "store"))

    summary = run(
        engine_for(catalog, scanner, store, buckets, tmp_path, batch_size=16, concurrency=4),
        source_for(mail_folder, imap_conn),
        MemoryCheckpoint(),
    )

    found = rows(catalog.dsn, "mail")
    assert summary.by_status == {"success": 50}
    assert sorted(int(r["source_metadata"]["part"]) for r in found) == list(range(2, 52))
    assert {r["file_name"]: r["checksum"] for r in found} == {
        d.file_name: sha256(d.payload) for d in mail.docs
    }


def test_uidvalidity_change_resyncs_without_duplicates(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]
    first = [
        messages.attachment_mail(
            f"Order {n} {tag}", f"order-{n}.txt", f"Order {n} {tag}\n".encode(), "text", "plain"
        )
        for n in range(3)
    ]
    mail_folder.add_many(first)
    store = LocalFolderStore(str(tmp_path / "store"))
    engine = engine_for(catalog, scanner, store, buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    run(engine, source_for(mail_folder, imap_conn), checkpoint)
    old_validity = checkpoint.value["mailboxes"][mail_folder.name]["uidvalidity"]
    assert checkpoint.value["mailboxes"][mail_folder.name]["last_uid"] == 3

    new_validity = mail_folder.reset_uidvalidity()
    mail_folder.add(
        messages.attachment_mail(
            f"Order 3 {tag}", "order-3.txt", f"Order 3 {tag}\n".encode(), "text", "plain"
        )
    )
    summary = run(engine, source_for(mail_folder, imap_conn), checkpoint)

    assert new_validity != old_validity
    assert (summary.listed, summary.skipped_known, summary.processed) == (4, 3, 1)
    found = rows(catalog.dsn, "mail")
    assert sorted(r["file_name"] for r in found) == [f"order-{n}.txt" for n in range(4)]
    assert len({r["source_id"] for r in found}) == 4
    assert checkpoint.value["mailboxes"][mail_folder.name] == {"uidvalidity": new_validity, "last_uid": 4}

    # A row recorded under the old UIDVALIDITY can still be fetched again (retry, reprocess):
    # the source finds the message by its Message-ID.
    old_row = next(r for r in found if r["source_metadata"]["uidvalidity"] == old_validity)
    source = source_for(mail_folder, imap_conn)
    try:
        item = source.reopen(old_row["source_id"], old_row["file_name"], old_row["source_metadata"])
        assert item is not None and item.metadata["uidvalidity"] == new_validity
        with source.open(item) as stream:
            assert sha256(stream.read()) == old_row["checksum"]
    finally:
        source.close()


def test_reopen_fetches_a_part_from_the_row_and_reports_an_expunged_message(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]
    payload = messages.pdf(f"Reopen me {tag}")
    kept = mail_folder.add(messages.attachment_mail(f"Keep {tag}", "keep.pdf", payload))
    gone = mail_folder.add(messages.attachment_mail(f"Gone {tag}", "gone.pdf", messages.pdf(f"Gone {tag}")))
    run(
        engine_for(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path),
        source_for(mail_folder, imap_conn),
        MemoryCheckpoint(),
    )
    found = {r["file_name"]: r for r in rows(catalog.dsn, "mail")}
    mail_folder.remove_file(gone)
    assert kept

    source = source_for(mail_folder, imap_conn, chunk_size=4096)
    try:
        row = found["keep.pdf"]
        item = source.reopen(row["source_id"], row["file_name"], row["source_metadata"])
        with source.open(item) as stream:
            assert stream.read() == payload
        row = found["gone.pdf"]
        assert source.reopen(row["source_id"], row["file_name"], row["source_metadata"]) is None
    finally:
        source.close()


def test_backfill_window_is_exact_by_internaldate_and_keeps_the_checkpoint(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]
    day = datetime(2026, 3, 2, tzinfo=timezone.utc)
    moments = {
        "before": day - timedelta(seconds=1),
        "start": day,
        "noon": day + timedelta(hours=12),
        "last": day + timedelta(days=1, seconds=-1),
        "after": day + timedelta(days=1),
    }
    for key, when in moments.items():
        mail_folder.add(
            messages.attachment_mail(
                f"{key} {tag}", f"{key}.txt", f"{key} {tag}\n".encode(), "text", "plain"
            ),
            internaldate=when,
        )
    mail_folder.add(messages.no_attachments(tag).raw, internaldate=day + timedelta(hours=1))
    checkpoint = MemoryCheckpoint({"version": 1, "mailboxes": {}})

    run(
        engine_for(
            catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path, batch_size=2
        ),
        source_for(mail_folder, imap_conn, fetch_batch=2),
        checkpoint,
        Window(day, day + timedelta(days=1)),
    )

    found = rows(catalog.dsn, "mail")
    assert sorted(r["file_name"] for r in found) == ["last.txt", "noon.txt", "start.txt"]
    assert checkpoint.saves == 0 and checkpoint.value == {"version": 1, "mailboxes": {}}


def test_messages_arriving_during_a_run_are_taken_by_the_next_run(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]

    def mail(n: int) -> bytes:
        return messages.attachment_mail(
            f"Report {n} {tag}", f"report-{n}.txt", f"Report {n} {tag}\n".encode(), "text", "plain"
        )

    mail_folder.add_many([mail(n) for n in range(6)])

    class DeliveringCheckpoint(MemoryCheckpoint):
        """Saves the cursor; the first save is also when two more messages arrive."""

        def save(self, value):
            super().save(value)
            if self.saves == 1:
                mail_folder.add_many([mail(6), mail(7)])

    checkpoint = DeliveringCheckpoint()
    engine = engine_for(
        catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path, batch_size=2,
        checkpoint_seconds=0,
    )
    first = run(engine, source_for(mail_folder, imap_conn, fetch_batch=2), checkpoint)

    assert first.processed == 6, "the run works on what its UID SEARCH saw"
    assert checkpoint.value["mailboxes"][mail_folder.name]["last_uid"] == 6
    second = run(engine, source_for(mail_folder, imap_conn), checkpoint)
    assert second.processed == 2
    names = sorted(r["file_name"] for r in rows(catalog.dsn, "mail"))
    assert names == [f"report-{n}.txt" for n in range(8)]
    assert checkpoint.value["mailboxes"][mail_folder.name]["last_uid"] == 8


def test_uid_range_past_the_last_message_lists_nothing(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    """``UID SEARCH UID n:*`` returns the last message even when n is past it; it must not be re-listed."""
    tag = uuid.uuid4().hex[:8]
    for n in range(2):
        mail_folder.add(
            messages.attachment_mail(
                f"Memo {n} {tag}", f"memo-{n}.txt", f"Memo {n} {tag}\n".encode(), "text", "plain"
            )
        )
    engine = engine_for(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path)
    checkpoint = MemoryCheckpoint()
    run(engine, source_for(mail_folder, imap_conn), checkpoint)
    # A third message arrives and is expunged again: UIDNEXT moves on, the last UID stays 2.
    gone = mail_folder.add(
        messages.attachment_mail(f"Memo 2 {tag}", "memo-2.txt", b"short-lived\n", "text", "plain")
    )
    assert mail_folder.status()["UIDNEXT"] == 4
    mail_folder.remove_file(gone)

    source = source_for(mail_folder, imap_conn)
    try:
        assert list(source.list_items(checkpoint.value, None)) == []
    finally:
        source.close()
    summary = run(engine, source_for(mail_folder, imap_conn), checkpoint)
    assert summary.listed == 0 and len(rows(catalog.dsn, "mail")) == 2


def test_mail_without_attachments_moves_the_cursor_with_the_next_document(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]
    mail_folder.add(messages.attachment_mail(f"A {tag}", "a.txt", f"A {tag}\n".encode(), "text", "plain"))
    mail_folder.add_many([messages.no_attachments(f"{tag}-{n}").raw for n in range(3)])
    engine = engine_for(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path)
    checkpoint = MemoryCheckpoint()

    run(engine, source_for(mail_folder, imap_conn), checkpoint)

    # The last document covers the attachment-less mail scanned after it.
    assert checkpoint.value["mailboxes"][mail_folder.name]["last_uid"] == 4

    # Only attachment-less mail since then: nothing is listed, and once the listing is complete
    # the source offers a cursor past it (the engine asks with an empty committed prefix).
    mail_folder.add_many([messages.no_attachments(f"{tag}-{n}").raw for n in range(3, 5)])
    source = source_for(mail_folder, imap_conn)
    try:
        assert source.next_checkpoint(checkpoint.value, []) == checkpoint.value, "no listing yet: no move"
        assert list(source.list_items(checkpoint.value, None)) == []
        moved = source.next_checkpoint(checkpoint.value, [])
        assert moved["mailboxes"][mail_folder.name]["last_uid"] == 6
        assert source.next_checkpoint(moved, []) == moved
    finally:
        source.close()


def test_tls_starttls_and_their_failures(dovecot, monkeypatch):
    from airflow_provider_kmrl.hooks.imap import KmrlImapHook

    cases = {
        "imaps": (dovecot.connection("imaps"), True, "(TLS, password)"),
        "starttls": (dovecot.connection("starttls"), True, "(TLS, password)"),
        "plain": (dovecot.connection("plain"), True, "(no TLS, password)"),
        "unknown_ca": (dovecot.connection("imaps", ca_file=""), False, "certificate verify failed"),
        "bad_password": (
            dovecot.connection("imaps").replace(dovecot.password, "wrong-password"),
            False,
            "was refused",
        ),
    }
    for name, (conn, ok, words) in cases.items():
        monkeypatch.setenv(f"AIRFLOW_CONN_T_{name.upper()}", conn)
        result = KmrlImapHook(imap_conn_id=f"t_{name}").test_connection()
        assert result[0] is ok and words in result[1], (name, result)


def test_xoauth2_login_against_the_introspection_endpoint(
    tmp_path, catalog, scanner, buckets, mail_folder, dovecot, introspection, monkeypatch
):
    from airflow_provider_kmrl.exceptions import SourceError

    tag = uuid.uuid4().hex[:8]
    mail_folder.add(
        messages.attachment_mail(f"OAuth {tag}", "oauth.txt", f"OAuth {tag}\n".encode(), "text", "plain")
    )
    token = introspection.grant(dovecot.user)
    monkeypatch.setenv(
        "AIRFLOW_CONN_MAIL_OAUTH", dovecot.connection("imaps", auth_mechanism="xoauth2", token=token)
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_MAIL_BAD_TOKEN",
        dovecot.connection("imaps", auth_mechanism="xoauth2", token="ya29.expired-or-forged"),
    )

    summary = run(
        engine_for(catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path),
        source_for(mail_folder, "mail_oauth"),
        MemoryCheckpoint(),
    )
    assert summary.by_status == {"success": 1}
    assert token in introspection.requests, "Dovecot checked the token with the introspection endpoint"

    source = source_for(mail_folder, "mail_bad_token")
    with pytest.raises(SourceError) as err:
        list(source.list_items(None, None))
    source.close()
    assert "XOAUTH2 login as 'kmrl' was refused" in str(err.value)
    assert '"status": "401"' in str(err.value) and "invalid, expired" in str(err.value)
    assert "ya29.expired-or-forged" in introspection.requests


def test_special_use_flag_selects_the_mailbox(dovecot, imap_conn):
    source = ImapSource("mail", ImapOptions(mailbox="\\All"), imap_conn)
    try:
        assert source.mailbox() == "Archive"
    finally:
        source.close()


def test_a_missing_mailbox_fails_the_run_with_a_clear_error(dovecot, imap_conn):
    from airflow_provider_kmrl.exceptions import SourceError

    source = ImapSource("mail", ImapOptions(mailbox="No such folder"), imap_conn)
    try:
        with pytest.raises(SourceError, match="STATUS 'No such folder' failed: .*exist"):
            list(source.list_items(None, None))
    finally:
        source.close()


def test_a_message_expunged_mid_run_is_recorded_as_failed_and_the_batch_goes_on(
    tmp_path, catalog, scanner, buckets, mail_folder, imap_conn
):
    tag = uuid.uuid4().hex[:8]
    files = [
        mail_folder.add(
            messages.attachment_mail(
                f"Note {n} {tag}", f"note-{n}.txt", f"Note {n} {tag}\n".encode(), "text", "plain"
            )
        )
        for n in range(6)
    ]

    class ExpungingCheckpoint(MemoryCheckpoint):
        """After the first batch is saved, another client deletes the fifth message."""

        def save(self, value):
            super().save(value)
            if self.saves == 1:
                mail_folder.remove_file(files[4])

    checkpoint = ExpungingCheckpoint()
    engine = engine_for(
        catalog, scanner, LocalFolderStore(str(tmp_path / "store")), buckets, tmp_path, batch_size=2,
        checkpoint_seconds=0,
    )
    summary = run(engine, source_for(mail_folder, imap_conn), checkpoint)

    found = {r["file_name"]: r for r in rows(catalog.dsn, "mail")}
    assert summary.by_status == {"success": 5, "failed": 1}
    assert found["note-4.txt"]["status"] == "failed"
    assert "no longer in" in found["note-4.txt"]["rejection_reason"]
    assert checkpoint.value["mailboxes"][mail_folder.name]["last_uid"] == 6, (
        "a failed row is final for the cursor"
    )

    # The next run retries it from the row, finds the message gone, and closes the row for good.
    again = run(engine, source_for(mail_folder, imap_conn), checkpoint)
    row = {r["file_name"]: r for r in rows(catalog.dsn, "mail")}["note-4.txt"]
    assert again.by_status == {"failed": 1} and row["status"] == "failed"
    assert "no longer available" in row["rejection_reason"]
