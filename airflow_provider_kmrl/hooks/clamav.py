"""Hook for a clamd daemon (connection type ``kmrl_clamav``)."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseHook

from airflow_provider_kmrl.exceptions import ScannerUnavailable
from airflow_provider_kmrl.hooks.clamd_client import ClamdAddress, ClamdScanner


class ClamAVHook(BaseHook):
    """Build a fail-closed :class:`ClamdScanner` from a ``kmrl_clamav`` connection.

    Host and port address clamd over TCP; ``extra.socket`` selects a unix socket instead;
    ``extra.timeout`` bounds one scan (seconds).

    :param clamav_conn_id: the Airflow connection to clamd.
    """

    conn_name_attr = "clamav_conn_id"
    default_conn_name = "kmrl_clamav"
    conn_type = "kmrl_clamav"
    hook_name = "ClamAV (clamd)"

    def __init__(self, clamav_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clamav_conn_id = clamav_conn_id
        self._scanner: ClamdScanner | None = None

    def get_conn(self) -> ClamdScanner:
        """Return the scanner, reading the connection once."""
        if self._scanner is None:
            conn = self.get_connection(self.clamav_conn_id)
            extra = conn.extra_dejson
            self._scanner = ClamdScanner(
                ClamdAddress(
                    host=conn.host or "127.0.0.1",
                    port=int(conn.port or 3310),
                    socket_path=extra.get("socket") or None,
                    timeout=float(extra.get("timeout") or 120),
                )
            )
        return self._scanner

    def test_connection(self) -> tuple[bool, str]:
        """PING clamd and report its version and signature date; never raises."""
        try:
            scanner = self.get_conn()
            version = scanner.ping()
        except ScannerUnavailable as err:
            return False, str(err)
        except Exception as err:
            return False, f"invalid clamd connection {self.clamav_conn_id!r}: {err}"
        return True, f"clamd at {scanner.address.describe()} answered: {version}"


def scanner_from_connection(conn_id: str) -> ClamdScanner:
    """Entry point ``kmrl_clamav`` of ``airflow_provider_kmrl.scanners``: clamd from its connection."""
    return ClamAVHook(clamav_conn_id=conn_id).get_conn()
