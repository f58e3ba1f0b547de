"""Where document bytes live: one interface, a local-folder and a MinIO/S3 implementation."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from airflow_provider_kmrl.core.protocols import DocumentStore  # noqa: F401 (re-exported)
from airflow_provider_kmrl.core.types import StoredObject
from airflow_provider_kmrl.exceptions import StoreUnavailable

if TYPE_CHECKING:
    from minio import Minio

CHUNK_SIZE = 1024 * 1024


class LocalFolderStore:
    """Buckets are sub-folders of ``root``; writes are atomic (temp file + rename)."""

    def __init__(self, root: str, fsync: bool = False) -> None:
        self.root = os.path.abspath(root)
        self.fsync = fsync

    def _path(self, bucket: str, key: str) -> str:
        path = os.path.normpath(os.path.join(self.root, bucket, key))
        if not path.startswith(os.path.join(self.root, bucket) + os.sep):
            raise ValueError(f"key escapes its bucket: {key!r}")
        return path

    def ensure_bucket(self, bucket: str) -> None:
        os.makedirs(os.path.join(self.root, bucket), exist_ok=True)

    def put_file(self, bucket: str, key: str, path: str, content_type: str | None = None) -> str:
        target = self._path(bucket, key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".part-")
        except OSError as err:
            raise StoreUnavailable(f"cannot write {target}: {err}") from err
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out, CHUNK_SIZE)
                if self.fsync:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as err:
            _unlink_quietly(tmp)
            raise StoreUnavailable(f"cannot write {target}: {err}") from err
        return self.uri(bucket, key)

    def size_of(self, bucket: str, key: str) -> int | None:
        try:
            return os.stat(self._path(bucket, key)).st_size
        except FileNotFoundError:
            return None

    def delete(self, bucket: str, key: str) -> None:
        _unlink_quietly(self._path(bucket, key))

    def move(self, bucket: str, key: str, to_bucket: str, to_key: str) -> str:
        target = self._path(to_bucket, to_key)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(self._path(bucket, key), target)
        return self.uri(to_bucket, to_key)

    def download(self, bucket: str, key: str, path: str) -> None:
        shutil.copyfile(self._path(bucket, key), path)

    def list_objects(self, bucket: str, prefix: str = "") -> Iterator[StoredObject]:
        base = os.path.join(self.root, bucket)
        for folder, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(".part-"):
                    continue
                full = os.path.join(folder, name)
                key = os.path.relpath(full, base).replace(os.sep, "/")
                if key.startswith(prefix):
                    yield StoredObject(bucket, key, os.stat(full).st_size)

    def sha256_of(self, bucket: str, key: str) -> str:
        digest = hashlib.sha256()
        with open(self._path(bucket, key), "rb") as src:
            while chunk := src.read(CHUNK_SIZE):
                digest.update(chunk)
        return digest.hexdigest()

    def uri(self, bucket: str, key: str) -> str:
        return "file://" + quote(os.path.join(self.root, bucket, key))

    def locate(self, uri: str) -> tuple[str, str]:
        parts = urlsplit(uri)
        relative = os.path.relpath(unquote(parts.path), self.root)
        if parts.scheme != "file" or relative.startswith(".."):
            raise ValueError(f"{uri} is not in the folder store at {self.root}")
        bucket, _, key = relative.replace(os.sep, "/").partition("/")
        return bucket, key


class MinioStore:
    """MinIO or any S3-compatible server through the ``minio`` SDK, multipart for large files.

    Memory per upload is about one part, whatever the file size. Parallel part uploads stay off
    by default: minio-py queues every part read ahead of its upload threads in an unbounded
    queue, so with them memory grows with the file (measured: +78 MiB for a 1 GiB file).
    """

    def __init__(self, client: Minio, part_size: int = 8 * 1024 * 1024, parallel_uploads: int = 1) -> None:
        self.client = client
        self.part_size = part_size
        self.parallel_uploads = parallel_uploads
        self._known_buckets: set[str] = set()

    def ensure_bucket(self, bucket: str) -> None:
        if bucket in self._known_buckets:
            return
        try:
            if not self.client.bucket_exists(bucket):
                self.client.make_bucket(bucket)
        except Exception as err:  # minio raises S3Error, urllib3 errors and ValueError
            if not self.client.bucket_exists(bucket):
                raise StoreUnavailable(f"cannot create bucket {bucket}: {err}") from err
        self._known_buckets.add(bucket)

    def put_file(self, bucket: str, key: str, path: str, content_type: str | None = None) -> str:
        try:
            with open(path, "rb") as src:
                size = os.fstat(src.fileno()).st_size
                self.client.put_object(
                    bucket, key, src, size,
                    content_type=content_type or "application/octet-stream",
                    part_size=self.part_size if size > self.part_size else 0,
                    num_parallel_uploads=self.parallel_uploads,
                )
        except OSError as err:
            raise StoreUnavailable(f"cannot upload s3://{bucket}/{key}: {err}") from err
        except Exception as err:
            raise StoreUnavailable(f"cannot upload s3://{bucket}/{key}: {err}") from err
        return self.uri(bucket, key)

    def size_of(self, bucket: str, key: str) -> int | None:
        from minio.error import S3Error

        try:
            return self.client.stat_object(bucket, key).size
        except S3Error as err:
            if err.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound"):
                return None
            raise

    def delete(self, bucket: str, key: str) -> None:
        self.client.remove_object(bucket, key)

    def move(self, bucket: str, key: str, to_bucket: str, to_key: str) -> str:
        from minio.commonconfig import CopySource

        self.ensure_bucket(to_bucket)
        self.client.copy_object(to_bucket, to_key, CopySource(bucket, key))
        self.client.remove_object(bucket, key)
        return self.uri(to_bucket, to_key)

    def download(self, bucket: str, key: str, path: str) -> None:
        response = self.client.get_object(bucket, key)
        try:
            with open(path, "wb") as out:
                for chunk in response.stream(CHUNK_SIZE):
                    out.write(chunk)
        finally:
            response.close()
            response.release_conn()

    def list_objects(self, bucket: str, prefix: str = "") -> Iterator[StoredObject]:
        for obj in self.client.list_objects(bucket, prefix=prefix or None, recursive=True):
            yield StoredObject(bucket, obj.object_name, obj.size or 0)

    def sha256_of(self, bucket: str, key: str) -> str:
        digest = hashlib.sha256()
        response = self.client.get_object(bucket, key)
        try:
            for chunk in response.stream(CHUNK_SIZE):
                digest.update(chunk)
        finally:
            response.close()
            response.release_conn()
        return digest.hexdigest()

    def uri(self, bucket: str, key: str) -> str:
        """``s3://bucket/key`` (the key URL-quoted)."""
        return s3_uri(bucket, key)

    def locate(self, uri: str) -> tuple[str, str]:
        """The (bucket, key) of an ``s3://`` URI."""
        return locate_s3(uri)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def s3_uri(bucket: str, key: str) -> str:
    """The URI rows record for an object in an S3-compatible store."""
    return f"s3://{bucket}/{quote(key)}"


def locate_s3(uri: str) -> tuple[str, str]:
    """The (bucket, key) of an ``s3://`` URI."""
    parts = urlsplit(uri)
    if parts.scheme != "s3":
        raise ValueError(f"{uri} is not an s3:// URI")
    return parts.netloc, unquote(parts.path.lstrip("/"))
