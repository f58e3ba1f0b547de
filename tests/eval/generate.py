"""Render the labeled evaluation set (``documents.py``) into real files and write ``labels.csv``.

``python -m tests.eval.generate [folder]`` (default: this folder). The rendered files are
committed, so the evaluation needs none of what this script needs: fpdf2 with uharfbuzz (PDFs
with shaped Malayalam text, as office software writes them), python-docx, openpyxl,
python-pptx, and the Debian fonts ``fonts-smc-meera`` and ``fonts-dejavu-core``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.eval.documents import DOCS
from tests.eval.spec import Block, Doc

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime(2026, 8, 1, 9, 30, tzinfo=timezone.utc)
FONT_DIRS = ("/usr/share/fonts/truetype/malayalam", "/usr/share/fonts/truetype/dejavu")
LABEL_FIELDS = ("path", "department", "doc_category", "language", "metadata")


def _font(name: str) -> str:
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"font {name} not found: apt-get install fonts-smc-meera fonts-dejavu-core")


def _lines(blocks: list[Block]) -> list[str]:
    """Paragraphs and table rows as lines of text (tables joined with ' | ')."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out.extend(" | ".join(str(c) for c in row) for row in block)
    return out


def render_pdf(doc: Doc) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_margins(18, 18, 18)
    pdf.add_font("Meera", fname=_font("Meera-Regular.ttf"))
    pdf.add_font("Meera", style="B", fname=_font("Meera-Regular.ttf"))  # Meera has no bold face
    pdf.add_font("DejaVu", fname=_font("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=_font("DejaVuSans-Bold.ttf"))
    malayalam = doc.language != "en"
    pdf.set_font("Meera" if malayalam else "DejaVu", size=11)
    pdf.set_fallback_fonts(["DejaVu"] if malayalam else ["Meera"])
    pdf.set_text_shaping(True)
    pdf.add_page()
    for block in doc.blocks:
        if isinstance(block, str):
            pdf.multi_cell(0, 6.5, block, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            with pdf.table(text_align="LEFT", line_height=6) as table:
                for row in block:
                    cells = table.row()
                    for value in row:
                        cells.cell(str(value))
            pdf.ln(2)
    return bytes(pdf.output())


def render_docx(doc: Doc) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = FIXED.replace(tzinfo=None)
    for index, block in enumerate(doc.blocks):
        if isinstance(block, str):
            paragraph = document.add_paragraph()
            for number, line in enumerate(block.split("\n")):
                run = paragraph.add_run(line)
                run.bold = index <= 1 and len(block) < 120
                if number < block.count("\n"):
                    run.add_break()
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            table.style = "Table Grid"
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_xlsx(doc: Doc) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED.replace(tzinfo=None)
    sheet = workbook.active
    first = True
    for block in doc.blocks:
        if isinstance(block, str) and block.startswith("## "):
            if first:
                sheet.title = block[3:]
            else:
                sheet = workbook.create_sheet(block[3:])
            first = False
        elif isinstance(block, str):
            sheet.append([block])
        else:
            for row in block:
                sheet.append(list(row))
            sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_pptx(doc: Doc) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    deck.core_properties.created = deck.core_properties.modified = FIXED.replace(tzinfo=None)
    body = None
    for block in doc.blocks:
        if isinstance(block, str) and block.startswith("# "):
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = block[2:]
            body = slide.placeholders[1].text_frame
            body.text = ""
        elif body is not None:
            for line in _lines([block]):
                paragraph = body.paragraphs[0] if not body.paragraphs[0].text else body.add_paragraph()
                paragraph.text = line
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def render_eml(doc: Doc) -> bytes:
    assert doc.email is not None, doc.path
    message = EmailMessage()
    message["From"] = doc.email["from"]
    message["To"] = doc.email["to"]
    message["Subject"] = doc.email["subject"]
    message["Date"] = format_datetime(FIXED)
    message["Message-ID"] = make_msgid(idstring=str(abs(hash(doc.path)) % 10**8), domain="kmrl.co.in")
    text = "\n\n".join(_lines(doc.blocks)) + "\n"
    message.set_content(text)
    if len(doc.path) % 2:  # every other message also carries an HTML version, as mail clients send
        paragraphs = "".join(f"<p>{line}</p>" for line in _lines(doc.blocks))
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    return message.as_bytes()


def render_txt(doc: Doc) -> bytes:
    return ("\n\n".join(_lines(doc.blocks)) + "\n").encode("utf-8")


def render_csv(doc: Doc) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for block in doc.blocks:
        for row in [[block]] if isinstance(block, str) else block:
            writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


RENDERERS = {
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "pptx": render_pptx,
    "eml": render_eml,
    "txt": render_txt,
    "csv": render_csv,
}


def write(folder: str) -> int:
    docs_dir = os.path.join(folder, "docs")
    shutil.rmtree(docs_dir, ignore_errors=True)
    rows = []
    for doc in DOCS:
        ext = doc.path.rsplit(".", 1)[1]
        target = os.path.join(docs_dir, doc.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(RENDERERS[ext](doc))
        rows.append(
            {
                "path": f"docs/{doc.path}",
                "department": doc.department,
                "doc_category": doc.category,
                "language": doc.language,
                "metadata": json.dumps(doc.metadata, ensure_ascii=False) if doc.metadata else "",
            }
        )
    with open(os.path.join(folder, "labels.csv"), "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, LABEL_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else HERE
    print(f"wrote {write(target)} documents and labels.csv to {target}")
