"""Raw RFC 5322 messages for the IMAP tests: every shape of attachment the source must handle.

Each builder returns the message bytes (CRLF line ends, as delivered) and the documents expected
from it: part number, file name, decoded payload, status and words of the reason.
"""

from __future__ import annotations

import base64
import struct
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests import corpus

SMTP = policy.SMTP  # CRLF line ends, as on the wire


@dataclass(frozen=True)
class Doc:
    part: str
    file_name: str
    payload: bytes
    status: str = "success"
    reason: str = ""
    nested_in: str | None = None
    inline: bool = False


@dataclass
class Mail:
    key: str
    raw: bytes
    docs: list[Doc] = field(default_factory=list)
    message_id: str | None = None


def pdf(text: str) -> bytes:
    """A valid PDF, padded so that it spans several fetch chunks."""
    return corpus.minimal_pdf(text)[:-6] + b"%" + (text.encode() * 200)[:12_000] + b"\n%%EOF\n"


def png(seed: int = 0) -> bytes:
    """A real 4x4 PNG (magic bytes and chunk CRCs correct)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + bytes([(seed + x * 40) % 256, 80, 160] * 4) for x in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _message(
    subject: str, body: str = "Please find the documents attached.\n", **headers: str
) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = headers.pop("sender", "Operations Desk <ops@kmrl.example>")
    msg["To"] = headers.pop("to", "Records <records@kmrl.example>")
    if "cc" in headers:
        msg["Cc"] = headers.pop("cc")
    msg["Subject"] = subject
    msg["Date"] = headers.pop("date", format_datetime(datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)))
    if headers.pop("message_id", True):
        msg["Message-ID"] = make_msgid(domain="kmrl.example")
    msg.set_content(body)
    return msg


def _mail(key: str, msg: EmailMessage, docs: list[Doc]) -> Mail:
    return Mail(key, msg.as_bytes(policy=SMTP), docs, msg["Message-ID"])


def plain_attachments(tag: str) -> Mail:
    """base64 PDF, quoted-printable Malayalam CSV, 7bit text: three parts, three encodings."""
    report = pdf(f"Monthly operations report {tag}")
    csv = ("ഇനം,തുക\nറോളിംഗ് സ്റ്റോക്ക്,420\nസിഗ്നലിംഗ്,310\n" * 40 + f"{tag}\n").encode()
    notes = f"Meeting notes {tag}\r\nAction items follow.\r\n".encode()  # text parts travel with CRLF
    msg = _message(
        f"Monthly report {tag}",
        cc="Finance <finance@kmrl.example>",
        to='Records <records@kmrl.example>, "Director, Ops" <director@kmrl.example>',
    )
    msg.add_attachment(report, maintype="application", subtype="pdf", filename="monthly-report.pdf")
    msg.add_attachment(csv, maintype="text", subtype="csv", filename="ബജറ്റ് 2026.csv", cte="quoted-printable")
    msg.add_attachment(notes.decode(), subtype="plain", filename="notes.txt", cte="7bit")
    return _mail(
        "plain",
        msg,
        [
            Doc("2", "monthly-report.pdf", report),
            Doc("3", "ബജറ്റ് 2026.csv", csv),
            Doc("4", "notes.txt", notes),
        ],
    )


def encoded_names(tag: str) -> Mail:
    """File names as mailers really send them: RFC 2047 words, RFC 2231 continuations, raw UTF-8."""
    one, two, three = (f"{name} {tag}\n".encode() for name in ("circular", "minutes", "roster"))
    ml_2047 = "സർക്കുലർ.txt"
    words = "=?UTF-8?B?" + base64.b64encode(ml_2047.encode()).decode() + "?="
    ml_2231 = "യോഗ കുറിപ്പുകൾ 2026 മാർച്ച്.txt"
    quoted = "".join(f"%{b:02X}" for b in ml_2231.encode())
    raw_utf8 = "ഡ്യൂട്ടി റോസ്റ്റർ.txt"
    boundary = f"b-{uuid.uuid4().hex}"
    lines = [
        "From: =?UTF-8?B?" + base64.b64encode("രാമൻ നായർ".encode()).decode() + "?= <raman@kmrl.example>",
        "To: records@kmrl.example",
        "Subject: =?UTF-8?Q?=E0=B4=B8=E0=B5=BC=E0=B4=95=E0=B5=8D=E0=B4=95=E0=B5=81=E0=B4=B2=E0=B5=BC?= "
        + tag,
        f"Message-ID: <names-{tag}@kmrl.example>",
        "Date: Mon, 02 Mar 2026 10:30:00 +0530",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Three attachments with Malayalam names.",
        f"--{boundary}",
        f'Content-Type: text/plain; charset=utf-8; name="{words}"',
        f'Content-Disposition: attachment; filename="{words}"',
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(one).decode().strip(),
        f"--{boundary}",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Disposition: attachment;",
        f" filename*0*=utf-8''{quoted[:60]};",
        f" filename*1*={quoted[60:]}",
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(two).decode().strip(),
        f"--{boundary}",
        "Content-Type: text/plain; charset=utf-8",
        f'Content-Disposition: attachment; filename="{raw_utf8}"',
        "Content-Transfer-Encoding: 8bit",
        "",
        three.decode().rstrip("\n"),
        f"--{boundary}--",
        "",
    ]
    raw = "\r\n".join(lines).encode()
    return Mail(
        "names",
        raw,
        [Doc("2", ml_2047, one), Doc("3", ml_2231, two), Doc("4", raw_utf8, three[:-1])],
        f"<names-{tag}@kmrl.example>",
    )


def forwarded(tag: str) -> Mail:
    """A forwarded message carrying a PDF and, one level deeper, another forwarded text file."""
    inner_pdf = pdf(f"Forwarded incident report {tag}")
    deep_txt = f"Original safety notice {tag}\r\n".encode()
    deepest = _message(f"Safety notice {tag}")
    deepest.add_attachment(deep_txt.decode(), subtype="plain", filename="notice.txt", cte="base64")
    inner = _message(f"Incident {tag}")
    inner.add_attachment(inner_pdf, maintype="application", subtype="pdf", filename="incident.pdf")
    inner.add_attachment(deepest)
    outer = _message(f"Fwd: Incident {tag}", body="See the forwarded message.\n")
    outer.add_attachment(inner)
    return _mail(
        "forwarded",
        outer,
        [
            Doc("2.2", "incident.pdf", inner_pdf, nested_in="2"),
            Doc("2.3.2", "notice.txt", deep_txt, nested_in="2.3"),
        ],
    )


def many_attachments(tag: str, count: int = 50) -> Mail:
    msg = _message(f"Scanned forms {tag}")
    docs = []
    for index in range(count):
        payload = f"Form {index:02d} of {count} ({tag})\r\n".encode()
        name = f"form-{index:02d}.txt"
        msg.add_attachment(payload.decode(), subtype="plain", filename=name, cte="base64")
        docs.append(Doc(str(index + 2), name, payload))
    return _mail("many", msg, docs)


def no_attachments(tag: str) -> Mail:
    msg = _message(f"Lunch menu {tag}", body="No documents here, only text.\n")
    msg.add_alternative(f"<p>No documents here {tag}</p>", subtype="html")
    return _mail("none", msg, [])


def missing_end_boundary(tag: str) -> Mail:
    """The closing ``--boundary--`` never comes: the last part runs to the end of the message."""
    first, last = pdf(f"Truncated mail first {tag}"), f"Truncated mail last part {tag}\n".encode()
    boundary = "unterminated"
    raw = "\r\n".join(
        [
            "From: scanner@kmrl.example",
            "To: records@kmrl.example",
            f"Subject: Broken MIME {tag}",
            f"Message-ID: <broken-{tag}@kmrl.example>",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/mixed; boundary="{boundary}"',
            "",
            f"--{boundary}",
            "Content-Type: text/plain",
            "",
            "body",
            f"--{boundary}",
            "Content-Type: application/pdf",
            'Content-Disposition: attachment; filename="first.pdf"',
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(first).decode().strip(),
            f"--{boundary}",
            "Content-Type: text/plain",
            'Content-Disposition: attachment; filename="last.txt"',
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(last).decode().strip(),
            "",
        ]
    ).encode()
    return Mail(
        "unterminated",
        raw,
        [Doc("2", "first.pdf", first), Doc("3", "last.txt", last)],
        f"<broken-{tag}@kmrl.example>",
    )


def wrong_declared_types(tag: str) -> Mail:
    """Declared types lie: text sent as application/pdf, and a real PDF sent as text/plain."""
    not_pdf = f"This is not a PDF at all ({tag}).\n".encode()
    real_pdf = pdf(f"Declared as text {tag}")
    msg = _message(f"Wrong types {tag}")
    msg.add_attachment(not_pdf, maintype="application", subtype="pdf", filename="invoice.pdf")
    msg.add_attachment(real_pdf, maintype="text", subtype="plain", filename="scan.pdf")
    return _mail(
        "wrongtype",
        msg,
        [Doc("2", "invoice.pdf", not_pdf, "quarantined", "name has .pdf"), Doc("3", "scan.pdf", real_pdf)],
    )


def eicar(tag: str) -> Mail:
    msg = _message(f"Virus test {tag}")
    msg.add_attachment(corpus.EICAR, maintype="application", subtype="octet-stream", filename="eicar.com.txt")
    return _mail("eicar", msg, [Doc("2", "eicar.com.txt", corpus.EICAR, "quarantined", "malware")])


def duplicates(tag: str) -> list[Mail]:
    """The same PDF attached to two different messages: one original, one duplicate."""
    shared = pdf(f"Shared tender document {tag}")
    mails = []
    for n, status in ((1, "success"), (2, "duplicate")):
        msg = _message(f"Tender copy {n} {tag}")
        msg.add_attachment(shared, maintype="application", subtype="pdf", filename=f"tender-copy-{n}.pdf")
        mails.append(
            _mail(
                f"dup{n}",
                msg,
                [
                    Doc(
                        "2",
                        f"tender-copy-{n}.pdf",
                        shared,
                        status,
                        "same content" if status == "duplicate" else "",
                    )
                ],
            )
        )
    return mails


def inline_image(tag: str) -> Mail:
    """An HTML mail with a cid: image (inline) and one real attachment."""
    image, sheet = png(len(tag)), f"Roster sheet {tag}\r\n".encode()
    msg = _message(f"Newsletter {tag}")
    msg.add_alternative(f'<p>Hello {tag}</p><img src="cid:logo">', subtype="html")
    html = msg.get_payload()[1]
    html.add_related(image, maintype="image", subtype="png", cid="<logo>", filename="logo.png")
    msg.add_attachment(sheet.decode(), subtype="plain", filename="roster.txt")
    # multipart/mixed [1 multipart/alternative [1.1 text, 1.2 multipart/related [1.2.1 html, 1.2.2 png]],
    #                  2 txt]; the png says "attachment" (as Outlook does) but is a cid: resource.
    return _mail("inline", msg, [Doc("1.2.2", "logo.png", image, inline=True), Doc("2", "roster.txt", sheet)])


def no_message_id(tag: str) -> Mail:
    payload = f"Anonymous memo {tag}\r\n".encode()
    msg = _message(f"No id {tag}", message_id="")
    msg.add_attachment(payload.decode(), subtype="plain", filename="memo.txt")
    return _mail("noid", msg, [Doc("2", "memo.txt", payload)])


def single_part(tag: str) -> Mail:
    """The whole message body is the document (a scanner's mail): part 1."""
    payload = pdf(f"Single part scan {tag}")
    raw = "\r\n".join(
        [
            "From: scanner@kmrl.example",
            "To: records@kmrl.example",
            f"Subject: Scan {tag}",
            f"Message-ID: <scan-{tag}@kmrl.example>",
            "MIME-Version: 1.0",
            'Content-Type: application/pdf; name="scan-0001.pdf"',
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(payload).decode().strip(),
            "",
        ]
    ).encode()
    return Mail("single", raw, [Doc("1", "scan-0001.pdf", payload)], f"<scan-{tag}@kmrl.example>")


def attachment_mail(
    subject: str,
    name: str,
    payload: bytes,
    maintype: str = "application",
    subtype: str = "pdf",
    message_id: str | None = None,
) -> bytes:
    """One message with one attachment (benchmarks and simple tests)."""
    msg = _message(subject)
    if message_id:
        del msg["Message-ID"]
        msg["Message-ID"] = message_id
    msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes(policy=SMTP)


def every_shape(tag: str) -> list[Mail]:
    """All the acceptance shapes except the 50-attachment message (tested on its own)."""
    return [
        plain_attachments(tag),
        encoded_names(tag),
        forwarded(tag),
        no_attachments(tag),
        missing_end_boundary(tag),
        wrong_declared_types(tag),
        eicar(tag),
        *duplicates(tag),
        inline_image(tag),
        no_message_id(tag),
        single_part(tag),
    ]
