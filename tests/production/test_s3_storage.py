"""Photos on S3-compatible object storage: moto's S3 server on loopback stands in for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from inspections import services
from tests.factories import jpeg_bytes

BUCKET = "cong-so-xanh-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Any:
    """A fresh bucket, and the default storage pointed at it as production would be."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                **CREDENTIALS,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client: Any) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_a_photo_is_stored_served_and_removed_through_object_storage(
    bucket: Any, open_round: Any, org: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.assignments_create(
        by=cast.internal_affairs, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    original = jpeg_bytes((640, 480))
    photo, created = services.photo_attach(
        by=cast.inspector, inspection=inspection, data=original, criterion_code="A1"
    )
    stored = {photo.original.name, photo.display.name, photo.thumbnail.name}
    assert created
    assert keys(bucket) == stored
    kept = bucket.get_object(Bucket=BUCKET, Key=photo.original.name)["Body"].read()
    assert kept == original

    client = APIClient()
    client.force_authenticate(cast.inspector)
    response = client.get(f"/api/v1/photos/{photo.pk}/display/")
    assert response.status_code == 200
    display = b"".join(response.streaming_content)
    assert display == bucket.get_object(Bucket=BUCKET, Key=photo.display.name)["Body"].read()
    assert display.startswith(b"\xff\xd8")
    client.force_authenticate(cast.outsider)
    assert client.get(f"/api/v1/photos/{photo.pk}/display/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.photo_remove(by=cast.inspector, photo=photo)
    assert keys(bucket) == set()


def test_the_same_name_is_never_overwritten_on_object_storage(bucket: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("evidence/ab/x/o.jpg", ContentFile(b"first"))
    second = default_storage.save("evidence/ab/x/o.jpg", ContentFile(b"second"))
    assert first != second
    assert default_storage.open(first).read() == b"first"
