"""Plain text, CSV and RTF: decode what is there, reading at most ``max_read_bytes``."""

from __future__ import annotations

import codecs
import re

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget

_RTF_TOKEN = re.compile(
    r"\\u(-?\d+)\??|\\'([0-9a-fA-F]{2})|\\([a-zA-Z]+)-?\d* ?|\\([^a-zA-Z])|([{}])|([^\\{}]+)"
)
_RTF_SKIP = {
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "header",
    "footer",
    "generator",
    "themedata",
}


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by BOM; Windows-1252 as the last resort."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3:  # a character cut by the read limit
            return data[: err.start].decode("utf-8", "replace")
        if data.count(b"\xe0\xb4") > 2:  # UTF-8 Malayalam with a few damaged bytes
            return data.decode("utf-8", "replace")
        return data.decode("cp1252", "replace")


def extract_plain(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with open(path, "rb") as fh:
        budget.add(decode(fh.read(limits.max_read_bytes)))


def extract_rtf(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with open(path, "rb") as fh:
        budget.add(rtf_to_text(fh.read(limits.max_read_bytes).decode("latin-1")))


def rtf_to_text(rtf: str) -> str:
    """The visible text of an RTF document: Unicode escapes kept, tables of fonts/colours skipped."""
    out: list[str] = []
    skip_depth: list[bool] = [False]
    for uni, hexbyte, word, symbol, brace, text in _RTF_TOKEN.findall(rtf):
        if brace == "{":
            skip_depth.append(skip_depth[-1])
        elif brace == "}":
            if len(skip_depth) > 1:
                skip_depth.pop()
        elif skip_depth[-1]:
            continue
        elif word:
            if word in _RTF_SKIP:
                skip_depth[-1] = True
            elif word in ("par", "line", "row", "page"):
                out.append("\n")
            elif word in ("tab", "cell"):
                out.append("\t")
        elif symbol == "*":
            skip_depth[-1] = True
        elif uni:
            out.append(chr(int(uni) % 65536))
        elif hexbyte:
            out.append(bytes([int(hexbyte, 16)]).decode("cp1252", "replace"))
        elif text:
            out.append(text.replace("\r", "").replace("\n", ""))
    return "".join(out)
