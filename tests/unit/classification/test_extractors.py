"""Text out of every format that arrives, within the bounds, and never an exception."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import pytest

from airflow_provider_kmrl.classification.extractors import ExtractLimits, extract_file, format_of
from airflow_provider_kmrl.classification.extractors.plain import rtf_to_text
from tests.corpus import minimal_docx, minimal_pdf, minimal_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _pptx(slides: list[tuple[str, str]]) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = body
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def test_pdf_text_layer(tmp_path):
    path = _write(tmp_path, "invoice.pdf", minimal_pdf("Invoice INV-2026-0042 for track maintenance"))
    result = extract_file(path, "application/pdf", "invoice.pdf")
    assert result.error is None and "Invoice INV-2026-0042 for track maintenance" in result.text


def test_malayalam_pdf_from_the_eval_set_reads_as_malayalam():
    path = "tests/eval/docs/safety/circulars/സർക്കുലർ-ട്രാക്ക്-പ്രവേശനം.pdf"
    result = extract_file(path, "application/pdf", path)
    assert "സർക്കുലർ" in result.text and "അറ്റകുറ്റപ്പണി" in result.text


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Bogie inspection report")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Wheel flange", "29.4 mm"
    buffer = io.BytesIO()
    document.save(buffer)
    result = extract_file(_write(tmp_path, "r.docx", buffer.getvalue()), DOCX, "r.docx")
    assert (
        "Bogie inspection report" in result.text
        and "Wheel flange" in result.text
        and "29.4 mm" in result.text
    )


def test_xlsx_shared_strings_numbers_and_sheet_names(tmp_path):
    data = minimal_xlsx([["Head", "Budget (INR lakh)"], ["Rolling stock", 420], ["സിഗ്നലിങ്", 310]])
    result = extract_file(_write(tmp_path, "b.xlsx", data), XLSX, "b.xlsx")
    assert "Budget (INR lakh)" in result.text and "420" in result.text and "സിഗ്നലിങ്" in result.text


def test_pptx_slides_in_order(tmp_path):
    data = _pptx([("Training calendar", "CBTC fundamentals"), ("How to nominate", "Send names to HR")])
    result = extract_file(_write(tmp_path, "t.pptx", data), PPTX, "t.pptx")
    assert result.text.index("Training calendar") < result.text.index("How to nominate")


def test_eml_subject_sender_body_and_attachment_names(tmp_path):
    message = EmailMessage()
    message["From"] = "Accounts <billing@vendor.example>"
    message["Subject"] = "Invoice 0412 / ഇൻവോയ്സ്"
    message.set_content("Please find our invoice for April.")
    message.add_alternative(
        "<html><body><p>Please find our <b>invoice</b> for April.</p></body></html>", subtype="html"
    )
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="INV-0412.pdf")
    result = extract_file(_write(tmp_path, "m.eml", message.as_bytes()), "message/rfc822", "m.eml")
    assert result.fields == {
        "subject": "Invoice 0412 / ഇൻവോയ്സ്",
        "sender": "Accounts <billing@vendor.example>",
    }
    assert "Please find our invoice for April." in result.text and "INV-0412.pdf" in result.text


def test_plain_text_encodings(tmp_path):
    for name, data in (
        ("u8.txt", "സുരക്ഷ safety".encode()),
        ("bom.txt", "\ufeffസുരക്ഷ safety".encode()),
        ("u16.txt", "സുരക്ഷ safety".encode("utf-16")),
        ("cp.txt", "caf\xe9 safety".encode("cp1252")),
    ):
        result = extract_file(_write(tmp_path, name, data), "text/plain", name)
        assert "safety" in result.text and result.error is None, name
    assert "സുരക്ഷ" in extract_file(str(tmp_path / "u16.txt"), "text/plain", "u16.txt").text


def test_rtf_with_unicode_escapes():
    rtf = (
        r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Safety circular\par "
        r"\u3384?\u3393?\u3376?\u3349?\u3405?\u3383? done}"
    )
    text = rtf_to_text(rtf)
    assert "Safety circular" in text and "Arial" not in text and "സുരക്ഷ" in text


@pytest.mark.parametrize(
    "mime,name,expected",
    [
        ("application/pdf", "x.pdf", "pdf"),
        (DOCX, "x.bin", "docx"),
        ("text/plain", "mail.eml", "eml"),  # libmagic often calls e-mail plain text
        ("text/plain", "notes.csv", "text"),
        ("application/octet-stream", "scan.png", "image"),
        ("image/jpeg", "photo.jpg", "image"),
        ("application/x-dosexec", "x.pdf", "none"),  # the detected type wins over the name
    ],
)
def test_format_follows_the_detected_type(mime, name, expected):
    assert format_of(mime, name) == expected


def test_limits_bound_the_text(tmp_path):
    big = "word " * 100_000
    result = extract_file(
        _write(tmp_path, "big.txt", big.encode()), "text/plain", "big.txt", ExtractLimits(max_chars=1000)
    )
    assert len(result.text) <= 1001 and result.truncated
    result = extract_file(
        _write(tmp_path, "big2.txt", big.encode()),
        "text/plain",
        "big2.txt",
        ExtractLimits(max_read_bytes=4096),
    )
    assert len(result.text) <= 4097  # 4096 bytes read, plus the line end the budget adds


def test_zip_bomb_member_is_not_unpacked(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (8 * 1024 * 1024) + b"</w:document>")
    limits = ExtractLimits(max_unpacked_bytes=1024 * 1024)
    result = extract_file(_write(tmp_path, "bomb.docx", buffer.getvalue()), DOCX, "bomb.docx", limits)
    assert result.text == "" and "max_unpacked_bytes" in (result.error or "")


@pytest.mark.parametrize(
    "name,mime,data",
    [
        ("broken.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj <<< garbage"),
        ("broken.docx", DOCX, b"PK\x03\x04 not really a zip"),
        ("broken.xlsx", XLSX, minimal_docx(["a word file named .xlsx"])),
        ("empty.pptx", PPTX, b""),
    ],
)
def test_unreadable_files_give_an_error_not_an_exception(tmp_path, name, mime, data):
    result = extract_file(_write(tmp_path, name, data), mime, name)
    assert result.error or result.text == ""


def test_garbage_mail_is_read_as_far_as_it_goes(tmp_path):
    result = extract_file(
        _write(tmp_path, "x.eml", b"\xff\xfe\x00garbage\r\n\r\n\x00"), "message/rfc822", "x.eml"
    )
    assert result.method == "eml" and result.fields == {}


def test_images_without_ocr_say_so(tmp_path):
    result = extract_file(_write(tmp_path, "scan.png", b"\x89PNG\r\n\x1a\n"), "image/png", "scan.png")
    assert result.text == "" and "OCR is off" in (result.error or "")


def test_huge_containers_are_not_parsed(tmp_path):
    path = _write(tmp_path, "survey.pdf", minimal_pdf("Tunnel survey") + b"%" * 4096)
    result = extract_file(path, "application/pdf", "survey.pdf", ExtractLimits(max_file_bytes=1024))
    assert result.text == "" and "max_file_bytes" in result.error
