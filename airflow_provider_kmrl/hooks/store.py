"""Pick the document store implementation from the store connection's type."""

from __future__ import annotations

from airflow.sdk import BaseHook

from airflow_provider_kmrl.hooks.minio import MinioHook
from airflow_provider_kmrl.hooks.stores import DocumentStore, LocalFolderStore


def store_from_connection(conn_id: str) -> DocumentStore:
    """``kmrl_minio`` -> MinIO/S3; ``fs`` (Airflow's File connection, ``extra.path``) -> local folder."""
    conn = BaseHook.get_connection(conn_id)
    if conn.conn_type == "kmrl_minio":
        return MinioHook(minio_conn_id=conn_id).get_conn()
    if conn.conn_type == "fs":
        root = conn.extra_dejson.get("path")
        if not root:
            raise ValueError(f"fs connection {conn_id!r} needs extra.path (the store's root folder)")
        return LocalFolderStore(root)
    raise ValueError(f"connection {conn_id!r} has type {conn.conn_type!r}; the store needs kmrl_minio or fs")
