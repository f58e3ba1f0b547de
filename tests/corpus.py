"""Build the sample corpus the tests and ``make demo`` drop into an upload folder.

Every file says what the pipeline must make of it (``EXPECTED``): clean documents in several
formats and languages, a duplicate, EICAR plain and zipped, a Windows executable named .pdf, an
empty file and names chosen to break naive path handling.

Run ``python -m tests.corpus <folder>`` to write it.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MALWARE_MARKER = b"KMRL-TEST-MALWARE-MARKER-7f3a"


def minimal_pdf(text: str) -> bytes:
    """A small, valid one-page PDF with a text layer."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def minimal_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minimal_xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def windows_executable() -> bytes:
    """A tiny PE32 image (headers only): what libmagic calls a portable executable."""
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    optional = bytearray(0xE0)
    struct.pack_into("<H", optional, 0, 0x10B)  # PE32
    struct.pack_into("<I", optional, 16, 0x1000)  # entry point
    struct.pack_into("<I", optional, 28, 0x400000)  # image base
    struct.pack_into("<II", optional, 32, 0x1000, 0x200)  # section / file alignment
    struct.pack_into("<H", optional, 68, 2)  # subsystem: Windows GUI
    struct.pack_into("<I", optional, 92, 16)  # number of data directories
    section = b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x1000, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    image = bytes(dos) + b"PE\0\0" + coff + bytes(optional) + section
    return image + b"\0" * (0x400 - len(image)) + b"\xc3" * 0x200


def zipped(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


CIRCULAR_EN = (
    "SAFETY CIRCULAR No. 14/2026\nAll station controllers shall verify the emergency stop plungers on "
    "platforms before revenue service begins each day.\n"
)
CIRCULAR_ML = (
    "സുരക്ഷാ സർക്കുലർ നമ്പർ 14/2026\nഎല്ലാ സ്റ്റേഷൻ കൺട്രോളർമാരും ദിവസവും സർവീസ് തുടങ്ങുന്നതിന് മുമ്പ് "
    "പ്ലാറ്റ്ഫോമുകളിലെ അടിയന്തര സ്റ്റോപ്പ് സംവിധാനം പരിശോധിക്കണം.\n"
)

#: relative path -> (bytes, expected status, words expected in the reason)
def build() -> dict[str, tuple[bytes, str, str]]:
    pdf = minimal_pdf("Invoice INV-2026-0042 for track maintenance, amount INR 4,20,000")
    return {
        "finance/invoice-0042.pdf": (pdf, "success", ""),
        "finance/copies/invoice-0042 (copy).pdf": (pdf, "duplicate", "same content"),
        "engineering/inspection-report.docx": (
            minimal_docx(["Bogie inspection report", "Train set 07: wheel profile within limits."]),
            "success", ""),
        "finance/budget-2026.xlsx": (
            minimal_xlsx([["Head", "Budget (INR lakh)"], ["Rolling stock", 420], ["Signalling", 310]]),
            "success", ""),
        "safety/circular-14-en.txt": (CIRCULAR_EN.encode(), "success", ""),
        "safety/സുരക്ഷാ സർക്കുലർ 14.txt": (CIRCULAR_ML.encode(), "success", ""),
        "safety/circular-14-bilingual.txt": ((CIRCULAR_EN + CIRCULAR_ML).encode(), "success", ""),
        "inbox/eicar.txt": (EICAR, "quarantined", "malware"),
        "inbox/eicar-in-archive.zip": (zipped("readme.txt", EICAR), "quarantined", "malware"),
        "inbox/marked-report.txt": (b"Quarterly report\n" + MALWARE_MARKER + b"\n", "quarantined", "malware"),
        "inbox/work-order-scan.pdf": (windows_executable(), "quarantined", "not on the allow-list"),
        "inbox/notes.pdf": (CIRCULAR_EN.encode(), "quarantined", "name has .pdf"),
        "inbox/empty.docx": (b"", "rejected", "empty"),
        "hostile/evil..txt..": (b"dots in odd places\n", "success", ""),
        "hostile/-rf --no-preserve-root.txt": (b"leading dash\n", "success", ""),
        "hostile/new\nline\tand\x07bell.txt": (b"control characters in the name\n", "success", ""),
        "hostile/invoice\u202etxt.exe": (b"right-to-left override in the name\n", "quarantined", "name has .exe"),
        "hostile/%2e%2e%2fetc%2fpasswd.txt": (b"url-encoded traversal\n", "success", ""),
        "hostile/" + "long-" * 48 + ".txt": (b"a 245-byte name\n", "success", ""),
        "hostile/spaces   and  'quotes\" and ; semicolons.txt": (b"shell metacharacters\n", "success", ""),
    }


def write(folder: str) -> dict[str, tuple[bytes, str, str]]:
    """Write the corpus with increasing mtimes, so ingest order (and which copy is the original) is fixed."""
    import time

    corpus = build()
    first = int(time.time()) - 3600
    for index, (relpath, (payload, _status, _reason)) in enumerate(corpus.items()):
        path = os.path.join(folder, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(payload)
        os.utime(path, (first + index, first + index))
    return corpus


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "sample-uploads"
    written = write(target)
    print(f"wrote {len(written)} sample files to {target}")
