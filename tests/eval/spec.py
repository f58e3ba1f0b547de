"""What one labeled evaluation document is: its labels and its content, independent of format.

``blocks`` are paragraphs (``str``) and tables (``list`` of rows). The file's extension decides
how ``generate.py`` renders them: for slides, a paragraph starting with ``# `` opens a slide;
for workbooks, one starting with ``## `` opens a sheet; for e-mail, ``email`` holds the headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Block = str | list

LETTERHEAD_EN = "KOCHI METRO RAIL LIMITED\nJLN Stadium Metro Station, 4th Floor, Kaloor, Kochi - 682017"
LETTERHEAD_ML = "കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്\nജെഎൽഎൻ സ്റ്റേഡിയം മെട്രോ സ്റ്റേഷൻ, കലൂർ, കൊച്ചി - 682017"
LETTERHEAD_BI = LETTERHEAD_ML + "\n" + LETTERHEAD_EN


@dataclass(frozen=True)
class Doc:
    path: str
    department: str
    category: str
    language: str
    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)
    email: dict[str, str] | None = None
