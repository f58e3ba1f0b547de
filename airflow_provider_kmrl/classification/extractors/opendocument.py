"""OpenDocument (ODT, ODS, ODP) text from ``content.xml``, streamed like the OOXML parts."""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import iterparse

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget
from airflow_provider_kmrl.classification.extractors.ooxml import _Bounded

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def extract_opendocument(path: str, limits: ExtractLimits, budget: TextBudget) -> None:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("content.xml")
        if info.file_size > limits.max_unpacked_bytes:
            raise ValueError(f"content.xml unpacks to {info.file_size} bytes, over max_unpacked_bytes")
        with archive.open(info) as raw:
            for _event, elem in iterparse(_Bounded(raw, limits.max_unpacked_bytes), events=("end",)):
                if elem.tag in (_TEXT + "p", _TEXT + "h"):
                    if not budget.add("".join(elem.itertext()).strip()):
                        return
                    elem.clear()
