"""``include`` / ``exclude`` globs on relative paths, shared by the folder-like source kinds."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import Any

from pydantic import Field, field_validator

from airflow_provider_kmrl.core.protocols import SourceOptions


class GlobOptions(SourceOptions):
    """Options of a kind whose items have relative paths: which ones to take."""

    include: list[str] = Field(default_factory=lambda: ["**"], description="Globs a file must match.")
    exclude: list[str] = Field(default_factory=list, description="Globs that drop a file or a whole folder.")

    @field_validator("include", "exclude", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("include", "exclude")
    @classmethod
    def _valid_globs(cls, globs: list[str]) -> list[str]:
        for pattern in globs:
            _glob_regex(pattern)
        return globs


def _matches(pattern: str, relpath: str) -> bool:
    """Gitignore-like: a pattern without ``/`` matches the base name at any depth; ``**`` spans folders."""
    target = relpath if "/" in pattern.strip("/") or pattern.startswith("**") else posixpath.basename(relpath)
    return _glob_regex(pattern.strip("/")).fullmatch(target) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                raise ValueError(f"glob {pattern!r}: unclosed '['")
            body = pattern[i + 1:end]
            body = ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\")
            out.append("[" + body + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)
