"""A mailbox built to stop or fool the e-mail source."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from airflow_provider_kmrl.hooks.stores import LocalFolderStore
from tests.helpers import MemoryCheckpoint, rows
from tests.integration.imap.test_imap_source import engine_for, run, source_for


def _mail(subject: str, message_id: str, attachments: dict[str, bytes]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "someone@example.org"
    msg["To"] = "records@kmrl.example"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg.set_content("See attached.")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="text", subtype="plain", filename=name)
    return msg.as_bytes()


def test_a_reused_message_id_does_not_hide_another_messages_attachments(tmp_path, catalog, scanner, buckets,
                                                                        mail_folder, imap_conn):
    shared_id = f"<{uuid.uuid4().hex}@example.org>"
    when = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
    mail_folder.add(_mail("Invoice", shared_id, {"invoice.txt": b"Invoice 42, amount due\n" * 10}), when)
    mail_folder.add(_mail("Spoof", shared_id, {"other.txt": b"A different attachment entirely\n" * 10}),
                    when + timedelta(minutes=5))
    store = LocalFolderStore(str(tmp_path / "store"))

    run(engine_for(catalog, scanner, store, buckets, tmp_path), source_for(mail_folder, imap_conn),
        MemoryCheckpoint())

    names = sorted(r["file_name"] for r in rows(catalog.dsn, "mail"))
    assert names == ["invoice.txt", "other.txt"], "both messages' attachments are documents"


def test_a_message_whose_structure_is_over_the_line_limit_costs_one_row(tmp_path, catalog, scanner, buckets,
                                                                        mail_folder, imap_conn):
    parts = {f"part-{n:05d}-with-a-long-enough-name.txt": b"x" for n in range(12_000)}
    huge = _mail("Thousands of parts", f"<{uuid.uuid4().hex}@example.org>", parts)
    mail_folder.add(_mail("Before", f"<{uuid.uuid4().hex}@example.org>", {"before.txt": b"before\n" * 20}))
    mail_folder.add(huge)
    mail_folder.add(_mail("After", f"<{uuid.uuid4().hex}@example.org>", {"after.txt": b"after\n" * 20}))
    store = LocalFolderStore(str(tmp_path / "store"))
    checkpoint = MemoryCheckpoint()

    run(engine_for(catalog, scanner, store, buckets, tmp_path), source_for(mail_folder, imap_conn), checkpoint)

    found = {r["file_name"]: r for r in rows(catalog.dsn, "mail")}
    assert found["before.txt"]["status"] == "success" and found["after.txt"]["status"] == "success"
    unreadable = [r for r in found.values() if r["file_name"].startswith("message-")]
    assert len(unreadable) == 1 and unreadable[0]["status"] == "rejected"
    assert "cannot be read" in unreadable[0]["rejection_reason"]
    assert checkpoint.value is not None, "the cursor moves past it"
