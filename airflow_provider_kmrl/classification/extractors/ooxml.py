"""Word, Excel and PowerPoint (OOXML) text by streaming the zip's XML parts.

No document model is built: the parts are parsed incrementally (``iterparse``), elements are
dropped as soon as they are read, and a member whose declared or actual unpacked size is over
``max_unpacked_bytes`` is not read past that size, so a zip bomb costs nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_SHEET = re.compile(r"^xl/worksheets/sheet(\d+)\.xml$")
_MAX_SHARED_STRINGS = 200_000


class _Bounded:
    """A read-only stream that stops at ``limit`` bytes (the declared size may lie)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw, self.left = raw, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            raise ValueError("member unpacks to more than max_unpacked_bytes")
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.raw.read(size)
        self.left -= len(data)
        return data


def _elements(archive: zipfile.ZipFile, name: str, limits: ExtractLimits) -> Iterator[Element]:
    info = archive.getinfo(name)
    if info.file_size > limits.max_unpacked_bytes:
        raise ValueError(f"{name} unpacks to {info.file_size} bytes, over max_unpacked_bytes")
    with archive.open(info) as raw:
        for _event, elem in iterparse(_Bounded(raw, limits.max_unpacked_bytes), events=("end",)):
            yield elem


def extract_docx(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with zipfile.ZipFile(path) as archive:
        line: list[str] = []
        for elem in _elements(archive, "word/document.xml", limits):
            tag = elem.tag
            if tag == _W + "t":
                line.append(elem.text or "")
            elif tag in (_W + "tab", _W + "br"):
                line.append(" ")
            elif tag == _W + "tc":
                line.append(" | ")
            elif tag == _W + "p":
                if not budget.add("".join(line).strip()):
                    return
                line.clear()
                elem.clear()
            elif tag == _W + "tbl":
                elem.clear()


def extract_pptx(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with zipfile.ZipFile(path) as archive:
        slides = sorted((int(m.group(1)), n) for n in archive.namelist() if (m := _SLIDE.match(n)))
        for _number, name in slides:
            line: list[str] = []
            for elem in _elements(archive, name, limits):
                if elem.tag == _A + "t":
                    line.append(elem.text or "")
                elif elem.tag == _A + "p":
                    if not budget.add("".join(line).strip()):
                        return
                    line.clear()
                    elem.clear()


def extract_xlsx(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for elem in _elements(archive, "xl/workbook.xml", limits) if "xl/workbook.xml" in names else ():
            if elem.tag == _S + "sheet" and elem.get("name"):
                budget.add(elem.get("name") or "")
        shared = _shared_strings(archive, limits) if "xl/sharedStrings.xml" in names else []
        sheets = sorted((int(m.group(1)), n) for n in names if (m := _SHEET.match(n)))
        for _number, name in sheets:
            if not _sheet_rows(archive, name, shared, limits, budget.add):
                return


def _shared_strings(archive: zipfile.ZipFile, limits: ExtractLimits) -> list[str]:
    strings: list[str] = []
    for elem in _elements(archive, "xl/sharedStrings.xml", limits):
        if elem.tag == _S + "si":
            strings.append("".join(t.text or "" for t in elem.iter(_S + "t")))
            elem.clear()
            if len(strings) >= _MAX_SHARED_STRINGS:
                break
    return strings


def _sheet_rows(archive, name, shared, limits, add: Callable[[str], bool]) -> bool:
    row: list[str] = []
    for elem in _elements(archive, name, limits):
        if elem.tag == _S + "c":
            row.append(_cell_text(elem, shared))
            elem.clear()
        elif elem.tag == _S + "row":
            if not add("\t".join(c for c in row if c)):
                return False
            row.clear()
            elem.clear()
    return True


def _cell_text(cell: Element, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(_S + "t"))
    value = cell.find(_S + "v")
    text = value.text if value is not None and value.text else ""
    if kind == "s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            return ""
    return text


EXTRACTORS: dict[str, Callable[[str, ExtractLimits, TextBudget], None]] = {
    "docx": extract_docx,
    "xlsx": extract_xlsx,
    "pptx": extract_pptx,
}
