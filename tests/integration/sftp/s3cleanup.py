"""Test buckets that are removed afterwards.

SeaweedFS gives every bucket its own volume and has a fixed number of them (76 for ``weed mini`` here):
tests that leave their buckets behind exhaust the server ("No writable volumes and no free volumes
left") for everybody, so the tests of the SFTP and Maximo sources remove what they created.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator


@contextlib.contextmanager
def temporary_buckets(client) -> Iterator[tuple[str, str]]:
    """Unique raw and quarantine bucket names; both emptied and removed on exit."""
    tag = uuid.uuid4().hex[:10]
    names = (f"raw-{tag}", f"quarantine-{tag}")
    try:
        yield names
    finally:
        for name in names:
            drop_bucket(client, name)


def drop_bucket(client, bucket: str) -> None:
    from minio.deleteobjects import DeleteObject

    if not client.bucket_exists(bucket):
        return
    doomed = (DeleteObject(o.object_name) for o in client.list_objects(bucket, recursive=True))
    errors = list(client.remove_objects(bucket, doomed))
    assert not errors, f"could not empty {bucket}: {errors[:3]}"
    client.remove_bucket(bucket)
