"""Benchmark data: upload folders of unique documents, and a cheap way to make them unique again.

clamd caches the hashes of clean content, so a second scan of the same bytes costs nearly nothing.
Every file therefore carries a 32-hex-digit nonce at byte offset 10 (``%PDF-1.7\\n%<nonce>`` or
``Reference:<nonce>``); :func:`resalt` rewrites it in place before each run that scans, so each
run sees content that neither clamd nor the documents table has seen, at the cost of one small
write per file.
"""

from __future__ import annotations

import os
import random
import secrets

NONCE_OFFSET = 10
NONCE_LEN = 32
_PDF_HEAD = b"%PDF-1.7\n%"
_TEXT_HEAD = b"Reference:"
_BLOCK = 4 * 1024 * 1024

_ENGLISH = (
    "The maintenance crew inspected the overhead catenary between Aluva and Edappally stations.",
    "Invoice for the supply of brake pads to the rolling stock depot, payable within thirty days.",
    "All staff must complete the fire safety refresher course before the end of the quarter.",
    "Minutes of the board meeting held at the corporate office to review the phase two budget.",
    "Work order raised for the replacement of platform screen door sensors at the terminal.",
    "The incident report describes a signalling fault that delayed services for twelve minutes.",
    "Purchase order for escalator spare parts, delivery to the central stores at Muttom yard.",
    "Regulatory notice from the commissioner of metro rail safety regarding speed restrictions.",
)
_MALAYALAM = (
    "മെട്രോ സ്റ്റേഷനുകളിലെ സുരക്ഷാ പരിശോധന അടുത്ത ആഴ്ച നടക്കും.",
    "എല്ലാ ജീവനക്കാരും പരിശീലന പരിപാടിയിൽ പങ്കെടുക്കണം.",
    "അറ്റകുറ്റപ്പണികൾക്കായി ട്രെയിൻ സർവീസ് താൽക്കാലികമായി നിർത്തിവെക്കും.",
)


def nonce() -> bytes:
    return secrets.token_hex(NONCE_LEN // 2).encode()


def _text(rng: random.Random, size: int, malayalam: bool) -> bytes:
    pool = _ENGLISH + (_MALAYALAM if malayalam else ())
    out = bytearray(_TEXT_HEAD + nonce() + b"\n")
    while len(out) < size:
        out += (" ".join(rng.choices(pool, k=4)) + f" ({rng.randrange(10**6)})\n").encode()
    return bytes(out[:size]).decode("utf-8", "ignore").encode()  # never cut a character in half


def _pdf_like(rng: random.Random, size: int) -> bytes:
    head = _PDF_HEAD + nonce() + b"\n"
    return head + rng.randbytes(size - len(head))


def write_small_docs(folder: str, count: int, size: int, seed: int = 7, per_folder: int = 500) -> list[str]:
    """``count`` unique documents of about ``size`` bytes: half PDF-like, half text (a fifth bilingual).

    Files go into sub-folders of ``per_folder`` with increasing modification times, as uploads
    arrive. Returns the paths.
    """
    rng = random.Random(seed)
    base_mtime = 1_700_000_000
    paths = []
    for i in range(count):
        sub = os.path.join(folder, f"batch-{i // per_folder:03d}")
        if i % per_folder == 0:
            os.makedirs(sub, exist_ok=True)
        if i % 2 == 0:
            path, payload = os.path.join(sub, f"scan-{i:05d}.pdf"), _pdf_like(rng, size)
        else:
            path, payload = os.path.join(sub, f"note-{i:05d}.txt"), _text(rng, size, malayalam=i % 10 == 1)
        with open(path, "wb") as fh:
            fh.write(payload)
        os.utime(path, (base_mtime + i, base_mtime + i))
        paths.append(path)
    return paths


def write_big_file(path: str, size: int, seed: int = 11) -> None:
    """A valid one-page PDF of exactly ``size`` bytes, as a scanned drawing is: a line of text and
    one large uncompressed image stream of random bytes, written in 4 MiB blocks.

    It is a well-formed PDF (objects, cross-reference table, trailer) because a parser given a
    broken 100 MiB file rebuilds its cross-references by reading all of it: PDFium spends about
    2 s of CPU on random bytes behind a PDF header, and 0.2 s on this file.
    """
    rng = random.Random(seed)
    blocks = [rng.randbytes(_BLOCK) for _ in range(3)]
    content = b"BT /F1 12 Tf 72 720 Td (Drawing register, Aluva depot: catenary layout) Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    head = bytearray(_PDF_HEAD + nonce() + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(head))
        head += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    image_at, end = len(head), b"\nendstream\nendobj\n"

    def layout(n: int) -> tuple[bytes, bytes]:
        image = (b"6 0 obj\n<< /Type /XObject /Subtype /Image /Width 4096 /Height %d /ColorSpace /DeviceGray"
                 b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (max(1, n // 4096), n))
        xref_at = image_at + len(image) + n + len(end)
        xref = b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in [*offsets, image_at])
        return image, xref + b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at

    n = size - len(head) - 600
    for _ in range(4):  # the digits of the length and offsets settle in a step or two
        image, tail = layout(n)
        n += size - (len(head) + len(image) + n + len(end) + len(tail))
    image, tail = layout(n)
    if n < 0 or len(head) + len(image) + n + len(end) + len(tail) != size:
        raise ValueError(f"cannot lay out a PDF of exactly {size} bytes")
    with open(path, "wb") as fh:
        fh.write(head + image)
        left, i = n, 0
        while left:
            chunk = blocks[i % len(blocks)][:left]
            fh.write(chunk)
            left, i = left - len(chunk), i + 1
        fh.write(end + tail)


def resalt(paths: list[str]) -> None:
    """Give every file new content (a new nonce in place; size unchanged, mtime moves on)."""
    for path in paths:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.pwrite(fd, nonce(), NONCE_OFFSET)
        finally:
            os.close(fd)
