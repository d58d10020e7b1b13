"""backup → wipe → restore gives back every row of every model and every file, byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from inspections.backup import DERIVED, media_names
from inspections.models import EvidencePhoto, Inspection, Round
from tests.inspections.builders import approved_inspection


@pytest.fixture
def approved(open_round: Any, org: Any, cast: Any) -> Inspection:
    return approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Per model: row count and a hash of its rows serialised with natural references, so
    that rows rebuilt by migrate (content types, permissions) compare by what they are."""
    prints = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        label = model._meta.label_lower
        natural = label in DERIVED
        rows = serializers.serialize(
            "python",
            model._base_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural,
        )
        lines = []
        for row in rows:
            if natural:
                row.pop("pk", None)
            for field in model._meta.many_to_many:
                row["fields"][field.name] = sorted(row["fields"].get(field.name, []), key=str)
            lines.append(json.dumps(row, sort_keys=True, default=str))
        digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
        prints[label] = (len(lines), digest)
    return prints


def media_fingerprint() -> dict[str, str]:
    prints = {}
    for name in media_names():
        with default_storage.open(name, "rb") as stream:
            prints[name] = hashlib.sha256(stream.read()).hexdigest()
    return prints


def wipe() -> None:
    if connection.vendor == "postgresql":  # the test's own writes have checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name in media_names():
        default_storage.delete(name)


def test_a_backup_restored_after_a_wipe_gives_back_every_row_and_every_file(
    approved: Inspection, tmp_path: Path
) -> None:
    rows, files = database_fingerprint(), media_fingerprint()
    assert EvidencePhoto.objects.filter(inspection=approved).count() > 3
    assert len(files) > 9
    archive = tmp_path / "backup.tar"

    call_command("backup", str(archive), verbosity=0)
    wipe()
    assert not Inspection.objects.exists()
    assert media_fingerprint() == {}
    call_command("restore", str(archive), verbosity=0)

    assert database_fingerprint() == rows
    assert media_fingerprint() == files
    approved.refresh_from_db()
    assert approved.state == Inspection.State.APPROVED


def test_restore_refuses_a_database_with_data_unless_forced(
    approved: Inspection, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    rows = database_fingerprint()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), verbosity=0)

    Round.objects.update(name="Sửa sau khi sao lưu")
    call_command("restore", str(folder), "--force", verbosity=0)

    assert database_fingerprint() == rows


def test_restore_refuses_a_backup_with_an_altered_file_and_changes_nothing(
    approved: Inspection, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    manifest = json.loads((folder / "manifest.json").read_text())
    victim = folder / "media" / next(iter(manifest["media"]))
    victim.write_bytes(victim.read_bytes() + b"x")
    rows, files = database_fingerprint(), media_fingerprint()

    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(folder), "--force", verbosity=0)

    assert database_fingerprint() == rows
    assert media_fingerprint() == files
