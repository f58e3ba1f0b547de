"""The e-mail source's pure parsing on recorded server responses: no server needed.

Responses are byte-for-byte what imaplib hands over (literals split out into tuples), recorded
from Dovecot and, for the X-GM-* items, taken from Gmail's IMAP extension documentation.
"""

from __future__ import annotations

import base64
import binascii
import quopri

import pytest

from airflow_provider_kmrl.hooks.imap_wire import (
    decode_mailbox,
    encode_mailbox,
    parse_fetch,
    parse_list,
    uid_set,
)
from airflow_provider_kmrl.sources.mail_decode import Base64, PartStream, QuotedPrintable
from airflow_provider_kmrl.sources.mail_message import listed_message
from airflow_provider_kmrl.sources.mail_structure import document_parts, parse_bodystructure

# Gmail: X-GM-MSGID before UID, a header literal, a quoted name with an escaped quote.
GMAIL_FETCH = [
    (
        b'12 (X-GM-MSGID 1278455344230334865 UID 31 INTERNALDATE "02-Mar-2026 10:30:00 +0530" '
        b'RFC822.SIZE 2048 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 12 1 '
        b"NIL NIL NIL NIL)"
        b'("application" "pdf" ("name" "Q\\"3\\" report.pdf") NIL NIL "base64" 1024 NIL '
        b'("attachment" ("filename" "Q\\"3\\" report.pdf")) NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL) '
        b"BODY[HEADER.FIELDS (MESSAGE-ID FROM TO CC SUBJECT DATE)] {73}",
        b"Message-ID: <abc@mail.gmail.com>\r\nFrom: a@example.com\r\nSubject: Q3\r\n\r\n",
    ),
    b")",
]


def test_gmail_fetch_uses_x_gm_msgid_as_identity():
    [record] = parse_fetch(GMAIL_FETCH)
    message = listed_message(record)
    assert message.uid == 31 and message.gm_msgid == "1278455344230334865"
    assert message.identity() == "gm:1278455344230334865", (
        "X-GM-MSGID wins over Message-ID (labels = folders)"
    )
    assert message.internaldate.isoformat() == "2026-03-02T05:00:00+00:00"
    [doc] = document_parts(message.structure)
    assert (doc.part.path, doc.file_name, doc.part.encoding, doc.part.size) == (
        "2",
        'Q"3" report.pdf',
        "base64",
        1024,
    )


def test_literal_inside_bodystructure_and_unsolicited_flag_updates():
    name = "ഡ്യൂട്ടി റോസ്റ്റർ.txt".encode()
    data = [
        b"3 (FLAGS (\\Seen))",  # pushed by the server: no UID, must not confuse the caller
        (
            b'4 (UID 9 BODYSTRUCTURE ("text" "plain" NIL NIL NIL "8bit" 10 1 NIL ("attachment" ("filename" '
            b"{%d}" % len(name),
            name,
        ),
        b")) NIL NIL))",
    ]
    records = parse_fetch(data)
    assert [r.get("UID") for r in records] == [None, b"9"]
    part = parse_bodystructure(records[1]["BODYSTRUCTURE"])
    assert part.path == "1" and part.filename == "ഡ്യൂട്ടി റോസ്റ്റർ.txt"


def test_forwarded_message_part_numbers_follow_rfc_3501():
    inner = (
        b'("message" "rfc822" NIL NIL NIL "7bit" 900 (NIL "Fwd subject" NIL NIL NIL NIL NIL NIL NIL NIL) '
        b'(("text" "plain" NIL NIL NIL "7bit" 5 1 NIL NIL NIL NIL)("application" "pdf" NIL NIL NIL "base64" '
        b'100 NIL ("attachment" ("filename" "in.pdf")) NIL NIL) "mixed" NIL NIL NIL NIL) 20 NIL '
        b'("attachment" NIL) NIL NIL)'
    )
    single_inner = (
        b'("message" "rfc822" NIL NIL NIL "7bit" 300 (NIL "Scan" NIL NIL NIL NIL NIL NIL NIL NIL) '
        b'("application" "pdf" ("name" "scan.pdf") NIL NIL "base64" 200 NIL NIL NIL NIL) 8 NIL NIL NIL NIL)'
    )
    data = [
        b"1 (UID 1 BODYSTRUCTURE (("
        b'"text" "plain" NIL NIL NIL "7bit" 5 1 NIL NIL NIL NIL)' + inner + single_inner + b' "mixed"))'
    ]
    root = parse_bodystructure(parse_fetch(data)[0]["BODYSTRUCTURE"])
    docs = document_parts(root)
    assert [(d.part.path, d.file_name, d.nested_in) for d in docs] == [
        ("2.2", "in.pdf", "2"),
        ("3.1", "scan.pdf", "3"),
    ]
    whole = document_parts(root, forwarded="message")
    assert [(d.part.path, d.file_name) for d in whole] == [("2", "Fwd subject.eml"), ("3", "Scan.eml")]


def test_rfc2231_and_rfc2047_names():
    quoted = "".join(f"%{b:02X}" for b in "യോഗം.pdf".encode())
    words = "=?UTF-8?B?" + base64.b64encode("സർക്കുലർ.pdf".encode()).decode() + "?="
    node = [
        [
            b"application",
            b"pdf",
            [b"name", words.encode()],
            None,
            None,
            b"base64",
            b"10",
            None,
            [
                b"attachment",
                [b"filename*0*", f"utf-8''{quoted[:18]}".encode(), b"filename*1*", quoted[18:].encode()],
            ],
            None,
            None,
        ],
        [
            b"application",
            b"pdf",
            [b"name", words.encode()],
            None,
            None,
            b"base64",
            b"10",
            None,
            None,
            None,
            None,
        ],
        b"mixed",
    ]
    root = parse_bodystructure(node)
    assert [d.file_name for d in document_parts(root)] == ["യോഗം.pdf", "സർക്കുലർ.pdf"]


def test_cid_images_are_inline_and_signatures_are_not_documents():
    node = [
        [
            [b"text", b"html", None, None, None, b"7bit", b"10", b"1", None, None, None, None],
            [
                b"image",
                b"png",
                [b"name", b"logo.png"],
                b"<logo>",
                None,
                b"base64",
                b"10",
                None,
                [b"attachment", [b"filename", b"logo.png"]],
                None,
                None,
            ],
            b"related",
        ],
        [
            b"application",
            b"pkcs7-signature",
            [b"name", b"smime.p7s"],
            None,
            None,
            b"base64",
            b"10",
            None,
            [b"attachment", [b"filename", b"smime.p7s"]],
            None,
            None,
        ],
        b"signed",
    ]
    root = parse_bodystructure(node)
    assert document_parts(root) == []
    [logo] = document_parts(root, include_inline=True)
    assert (logo.part.path, logo.inline) == ("1.2", True)


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 7, 76, 77, 78, 1000])
def test_decoders_survive_every_chunk_boundary(chunk):
    payload = bytes(range(256)) * 7 + "മലയാളം = ക്ഷ\r\n".encode() * 20 + b"line with trailing space \r\n"
    b64 = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    qp = quopri.encodestring(payload.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    for encoded, decoder, expected in ((b64, Base64, payload), (qp, QuotedPrintable, binascii.a2b_qp(qp))):

        def fetch(start: int, length: int, data: bytes = encoded) -> bytes:
            return data[start : start + length]

        stream = PartStream(fetch, "base64" if decoder is Base64 else "quoted-printable", max(chunk, 1))
        out = b""
        while True:
            piece = stream.read(333)
            if not piece:
                break
            out += piece
        assert out == expected


def test_lenient_base64_skips_junk_and_missing_padding():
    decoder = Base64()
    data = decoder.feed(b"SGVsbG8s\r\n IHdv!cmxk") + decoder.flush()
    assert data == b"Hello, world"


def test_mailbox_names_and_uid_sets():
    # RFC 3501 section 5.1.3's own example, and a round trip through Malayalam and "&".
    assert encode_mailbox("~peter/mail/台北/日本語") == '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'
    name = "Inbox/രസീതുകൾ & bills"
    assert decode_mailbox(encode_mailbox(name)[1:-1]) == name and "&-" in encode_mailbox(name)
    assert encode_mailbox('[Gmail]/All "Mail"') == '"[Gmail]/All \\"Mail\\""'
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    flags_and_names = parse_list(
        [b'(\\HasNoChildren \\All) "/" "[Gmail]/All Mail"', b'(\\Noselect) "/" Archive']
    )
    assert flags_and_names == [
        (["\\HasNoChildren", "\\All"], "[Gmail]/All Mail"),
        (["\\Noselect"], "Archive"),
    ]
