"""Hook for a MinIO or other S3-compatible object store (connection type ``kmrl_minio``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from airflow.sdk import BaseHook

from airflow_provider_kmrl.hooks.stores import MinioStore


class MinioHook(BaseHook):
    """Build a :class:`MinioStore` from a ``kmrl_minio`` connection.

    host is the endpoint URL (``https://minio.example.org:9000``; ``http://`` for plain HTTP),
    login and password the access and secret key, ``extra.region`` the region and
    ``extra.part_size_mb`` the multipart part size (memory per upload is about one part).

    :param minio_conn_id: the Airflow connection to the store.
    """

    conn_name_attr = "minio_conn_id"
    default_conn_name = "kmrl_store"
    conn_type = "kmrl_minio"
    hook_name = "MinIO / S3 document store"

    def __init__(self, minio_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minio_conn_id = minio_conn_id
        self._store: MinioStore | None = None

    def get_conn(self) -> MinioStore:
        """The store, built from the connection once."""
        if self._store is None:
            from minio import Minio

            conn = self.get_connection(self.minio_conn_id)
            endpoint, secure = parse_endpoint(conn.host or "", conn.port)
            extra = conn.extra_dejson
            client = Minio(
                endpoint,
                access_key=conn.login,
                secret_key=conn.password,
                secure=secure,
                region=extra.get("region") or None,
            )
            part_mb = int(extra.get("part_size_mb") or 8)
            self._store = MinioStore(client, part_size=max(5, part_mb) * 1024 * 1024)
        return self._store

    def test_connection(self) -> tuple[bool, str]:
        """List buckets with the given keys; never raises."""
        try:
            store = self.get_conn()
            names = [b.name for b in store.client.list_buckets()]
        except Exception as err:
            return False, f"cannot list buckets on {self.minio_conn_id!r}: {err}"
        return True, f"connected; buckets: {', '.join(names) or '(none yet)'}"


def parse_endpoint(host: str, port: int | None) -> tuple[str, bool]:
    """``https://h:9000`` -> (``h:9000``, True); a bare host means HTTPS, as MinIO's SDK assumes."""
    if "://" not in host:
        host = f"https://{host}"
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"endpoint must look like https://host:port, got {host!r}")
    netloc = parts.netloc if parts.port or not port else f"{parts.hostname}:{port}"
    return netloc, parts.scheme == "https"
