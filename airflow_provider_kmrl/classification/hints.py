"""Gather a document's evidence by zone: file name, title (subject, opening text), body, hints.

Source metadata arrives in ``ClassifyInput.metadata``: an e-mail's subject and sender, Maximo's
``worktype`` and ``description``, a file's folder path. The subject is read as part of the
title; the other text fields listed in ``settings.hint_keys`` count as hints, with their own
weight; the sender is matched against each label's ``senders`` fragments.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from airflow_provider_kmrl.classification.extractors import Extracted
from airflow_provider_kmrl.classification.rules import Settings
from airflow_provider_kmrl.classification.scoring import Evidence

_NAME_SEPARATORS = re.compile(r"[_\-.+~]+")


def name_words(file_name: str) -> str:
    """``Safety_Circular-14.2026.pdf`` -> ``Safety Circular 14 2026``."""
    stem = os.path.splitext(os.path.basename((file_name or "").replace("\\", "/")))[0]
    return _NAME_SEPARATORS.sub(" ", stem)


def build_evidence(
    extracted: Extracted, file_name: str, metadata: Mapping[str, Any], settings: Settings
) -> Evidence:
    meta = dict(metadata or {})
    subject = _text(meta.get("subject")) or extracted.fields.get("subject", "")
    title = [subject, extracted.text[: settings.title_chars]]
    hints = []
    for key in settings.hint_keys:
        if key == "subject":
            continue
        value = _text(meta.get(key))
        if key == "path" and value:
            value = os.path.dirname(value.replace("\\", "/"))
        if value:
            hints.append(_NAME_SEPARATORS.sub(" ", value.replace("/", " ")))
    senders = [_text(meta.get(k)) for k in settings.sender_keys] + [extracted.fields.get("sender", "")]
    return Evidence(
        title=title,
        body=extracted.text,
        name=name_words(file_name),
        hints=hints,
        senders=[s for s in senders if s],
        metadata=meta,
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value)
    return ""
