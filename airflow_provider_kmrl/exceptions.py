"""Errors that fail a task (as opposed to a bad document, which is recorded and skipped)."""

from __future__ import annotations


class KmrlError(Exception):
    """Base class for the provider's own errors."""


class ScannerUnavailable(KmrlError):
    """clamd cannot be reached or stopped answering: nothing may be recorded as clean."""


class StoreUnavailable(KmrlError):
    """The object store refused or failed a write; the batch stops and is retried."""


class SourcesFileError(KmrlError):
    """``kmrl_sources.yaml`` is missing or invalid; the message names the source and field."""


class SourceError(KmrlError):
    """The source itself (server, folder, credentials) failed, not one of its documents."""
