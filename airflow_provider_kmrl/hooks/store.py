"""Pick the document store implementation from the store connection's type."""

from __future__ import annotations

from airflow.sdk import BaseHook

from airflow_provider_kmrl.hooks.minio import MinioHook
from airflow_provider_kmrl.hooks.stores import DocumentStore, LocalFolderStore


def store_from_connection(conn_id: str) -> DocumentStore:
    """``kmrl_minio`` -> MinIO/S3; ``aws`` -> AWS S3 through ``S3Hook``; ``fs`` -> a local folder."""
    conn = BaseHook.get_connection(conn_id)
    if conn.conn_type == "kmrl_minio":
        return MinioHook(minio_conn_id=conn_id).get_conn()
    if conn.conn_type == "aws":
        try:
            from airflow_provider_kmrl.hooks.aws_store import S3HookStore

            return S3HookStore(conn_id)
        except ImportError as err:
            raise ImportError(f"the store connection {conn_id!r} is an aws connection, which needs the amazon "
                              f'provider: pip install "airflow-provider-kmrl[amazon]" ({err})') from err
    if conn.conn_type == "fs":
        root = conn.extra_dejson.get("path")
        if not root:
            raise ValueError(f"fs connection {conn_id!r} needs extra.path (the store's root folder)")
        return LocalFolderStore(root)
    raise ValueError(f"connection {conn_id!r} has type {conn.conn_type!r}; the store needs kmrl_minio, aws or fs")
