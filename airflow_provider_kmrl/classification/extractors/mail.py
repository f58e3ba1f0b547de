"""E-mail messages (.eml): subject, sender and the readable body; attachments only by name.

Attachments are ingested as documents of their own by the mail source, so here their names are
hints and their bytes are not read. Only the first ``max_read_bytes`` of a message are parsed.
"""

from __future__ import annotations

import html
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from airflow_provider_kmrl.classification.extractors.limits import ExtractLimits, TextBudget

_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def extract_mail(path: str, limits: ExtractLimits, budget: TextBudget) -> dict[str, str]:
    """Add subject and body to ``budget``; return ``{"subject", "sender"}`` as hints."""
    with open(path, "rb") as fh:
        data = fh.read(limits.max_read_bytes)
    message = BytesParser(policy=policy.default).parsebytes(data)
    fields = {"subject": _header(message, "subject"), "sender": _header(message, "from")}
    budget.add(fields["subject"])
    body = _body(message)
    budget.add(body)
    names = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    if names:
        budget.add(" ".join(str(n) for n in names))
    return {k: v for k, v in fields.items() if v}


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except Exception:  # a malformed header must not lose the rest of the message
        return ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # unknown charset or broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if part.get_content_subtype() == "html":
        content = html.unescape(_TAGS.sub(" ", content))
    return content
