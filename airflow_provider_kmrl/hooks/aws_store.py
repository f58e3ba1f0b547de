"""The document store on AWS S3 through the amazon provider's ``S3Hook`` (connection type ``aws``).

Everything an AWS deployment configures on its usual connection applies: IAM roles and assumed
roles, regions, ``endpoint_url`` (S3-compatible servers, VPC endpoints) and server-side encryption
with KMS (connection extra ``kmrl_sse_kms_key_id``, or the bucket's default encryption). Uploads
stream the spool file in 8 MiB parts (boto3's managed transfer), so memory stays flat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from airflow_provider_kmrl.core.types import StoredObject
from airflow_provider_kmrl.exceptions import StoreUnavailable
from airflow_provider_kmrl.hooks.stores import locate_s3, s3_uri

CHUNK_SIZE = 1024 * 1024
PART_SIZE = 8 * 1024 * 1024


class S3HookStore:
    """A :class:`~airflow_provider_kmrl.core.protocols.DocumentStore` over ``S3Hook``'s boto3 client."""

    def __init__(self, aws_conn_id: str) -> None:
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook

        self.hook = S3Hook(aws_conn_id=aws_conn_id)
        self.client = self.hook.get_conn()
        extra = self.hook.conn_config.extra_config if self.hook.conn_config else {}
        self.kms_key_id = extra.get("kmrl_sse_kms_key_id")
        self._known_buckets: set[str] = set()

    def _transfer(self) -> Any:
        from boto3.s3.transfer import TransferConfig

        return TransferConfig(multipart_threshold=PART_SIZE, multipart_chunksize=PART_SIZE, max_concurrency=1,
                              use_threads=False)

    def ensure_bucket(self, bucket: str) -> None:
        """Create the bucket when it is missing (an IAM role may only be allowed to use it)."""
        if bucket in self._known_buckets:
            return
        try:
            if not self.hook.check_for_bucket(bucket):
                self.client.create_bucket(Bucket=bucket)
        except Exception as err:
            if not self.hook.check_for_bucket(bucket):
                raise StoreUnavailable(f"cannot create bucket {bucket}: {err}") from err
        self._known_buckets.add(bucket)

    def put_file(self, bucket: str, key: str, path: str, content_type: str | None = None) -> str:
        """Upload the spool file in parts; KMS encryption when the connection names a key."""
        extra: dict[str, Any] = {"ContentType": content_type or "application/octet-stream"}
        if self.kms_key_id:
            extra.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=self.kms_key_id)
        try:
            self.client.upload_file(path, bucket, key, ExtraArgs=extra, Config=self._transfer())
        except Exception as err:
            raise StoreUnavailable(f"cannot upload s3://{bucket}/{key}: {err}") from err
        return self.uri(bucket, key)

    def size_of(self, bucket: str, key: str) -> int | None:
        """Object size, or ``None`` when it does not exist."""
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=bucket, Key=key)["ContentLength"])
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def delete(self, bucket: str, key: str) -> None:
        """Remove one object."""
        self.client.delete_object(Bucket=bucket, Key=key)

    def move(self, bucket: str, key: str, to_bucket: str, to_key: str) -> str:
        """Server-side copy, then delete."""
        self.ensure_bucket(to_bucket)
        self.client.copy({"Bucket": bucket, "Key": key}, to_bucket, to_key, Config=self._transfer())
        self.client.delete_object(Bucket=bucket, Key=key)
        return self.uri(to_bucket, to_key)

    def download(self, bucket: str, key: str, path: str) -> None:
        """Stream an object to a local file."""
        self.client.download_file(bucket, key, path, Config=self._transfer())

    def list_objects(self, bucket: str, prefix: str = "") -> Iterator[StoredObject]:
        """Every object under ``prefix``, page by page."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                yield StoredObject(bucket, obj["Key"], int(obj["Size"]))

    def sha256_of(self, bucket: str, key: str) -> str:
        """SHA-256 of the object's bytes, streamed."""
        digest = hashlib.sha256()
        body = self.client.get_object(Bucket=bucket, Key=key)["Body"]
        for chunk in iter(lambda: body.read(CHUNK_SIZE), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def uri(self, bucket: str, key: str) -> str:
        """``s3://bucket/key`` (the key URL-quoted), as rows record it."""
        return s3_uri(bucket, key)

    def locate(self, uri: str) -> tuple[str, str]:
        """The (bucket, key) of an ``s3://`` URI."""
        return locate_s3(uri)
