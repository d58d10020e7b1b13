"""backup → wipe → restore gives back every row of every model and every file, byte for byte."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from inspections import services
from inspections.backup import DERIVED, media_names
from inspections.backup_archive import DATABASE, MANIFEST, SIGNATURE, sign
from inspections.models import EvidencePhoto, Inspection, Round
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection, assign


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


# Damaged archives: each ends in one line on stderr and exit code 2, nothing changed.


@pytest.fixture
def draft_with_photo(open_round: Any, org: Any, cast: Any) -> Inspection:
    """A little of everything: users and roles, a round, an inspection, a photo's files."""
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    inspection, _created = services.inspection_create(
        by=cast.inspector, round=open_round, unit=org.tai_chinh
    )
    services.answer_set(by=cast.inspector, inspection=inspection, criterion_code="A1", value=4)
    services.photo_attach(
        by=cast.inspector, inspection=inspection, data=jpeg_bytes(), criterion_code="A1"
    )
    return inspection


def run_restore(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str]:
    """`manage.py restore …` as the shell runs it: exit code and what went to stderr."""
    from inspections.management.commands.restore import Command

    # run_from_argv closes every connection on its way out, the test's own included.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "restore", "--skip-checks", *argv])
    return int(exited.value.code or 0), capsys.readouterr().err


def read_manifest(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_bytes())
    return manifest


def write_manifest(folder: Path, manifest: Any, *, key: str | None = None) -> None:
    """The manifest rewritten and signed again, with the server's key unless told otherwise."""
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (folder / MANIFEST).write_bytes(body)
    (folder / SIGNATURE).write_bytes(sign(body, key))


def rehash_database(folder: Path) -> dict[str, Any]:
    manifest = read_manifest(folder)
    data = (folder / DATABASE).read_bytes()
    manifest["database"].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return manifest


def edit_rows(folder: Path, edit: Any) -> None:
    lines = (folder / DATABASE).read_text().splitlines()
    rows = [edit(json.loads(line)) for line in lines]
    (folder / DATABASE).write_text("".join(json.dumps(r) + "\n" for r in rows if r is not None))


def make_superuser(row: dict[str, Any]) -> dict[str, Any]:
    if row["model"] == "auth.user" and row["fields"]["username"] == "khach":
        row["fields"].update(is_superuser=True, is_staff=True)
    return row


def a_media_file(folder: Path) -> Path:
    return folder / "media" / sorted(read_manifest(folder)["media"])[0]


def _recomputed_hash(folder: Path) -> None:
    """The attack of the report: a user made superuser, the manifest's hash recomputed."""
    edit_rows(folder, make_superuser)
    manifest = rehash_database(folder)
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (folder / MANIFEST).write_bytes(body)  # the old signature stays: the key is not theirs


def _truncated_and_resigned(folder: Path) -> None:
    data = (folder / DATABASE).read_bytes()
    # Cut inside a row, never on a line's end: half the bytes would sometimes
    # end a whole row and make this a case of missing rows instead.
    end_of_a_middle_row = data.index(b"\n", len(data) // 2)
    (folder / DATABASE).write_bytes(data[: end_of_a_middle_row - 1])
    write_manifest(folder, rehash_database(folder))


def _unknown_model(folder: Path) -> None:
    with (folder / DATABASE).open("a") as out:
        out.write(json.dumps({"model": "evil.backdoor", "pk": 1, "fields": {}}) + "\n")
    manifest = rehash_database(folder)
    manifest["database"]["rows"]["evil.backdoor"] = 1
    write_manifest(folder, manifest)


def _row_of_an_uncounted_model(folder: Path) -> None:
    manifest = read_manifest(folder)
    del manifest["database"]["rows"]["inspections.orgunit"]  # its rows stay in the file
    write_manifest(folder, manifest)


def _escaping_path(folder: Path) -> None:
    outside = folder.parent / "escape.jpg"
    outside.write_bytes(b"x")
    manifest = read_manifest(folder)
    manifest["media"]["../escape.jpg"] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}
    write_manifest(folder, manifest)


def _rows_that_do_not_load(folder: Path) -> None:
    def dangling(row: dict[str, Any]) -> dict[str, Any]:
        if row["model"] == "inspections.answer":
            row["fields"]["inspection"] = "00000000-0000-0000-0000-000000000000"
        return row

    edit_rows(folder, dangling)
    write_manifest(folder, rehash_database(folder))


def _symlinked_media(folder: Path) -> None:
    victim = a_media_file(folder)
    copy = folder.parent / "outside.bin"
    copy.write_bytes(victim.read_bytes())
    victim.unlink()
    victim.symlink_to(copy)


def _manifest_not_json(folder: Path) -> None:
    (folder / MANIFEST).write_bytes(b'{"format": "cong-so-xanh-backup/1", ')
    (folder / SIGNATURE).write_bytes(sign((folder / MANIFEST).read_bytes()))


def _manifest_field(**changes: Any) -> Any:
    def damage(folder: Path) -> None:
        write_manifest(folder, {**read_manifest(folder), **changes})

    return damage


SIGNATURE_FAILS = "signature does not match"
# damage → (what it does to a backup folder, a phrase the one line must hold)
FOLDER_DAMAGE: dict[str, tuple[Any, str]] = {
    "missing manifest": (lambda f: (f / MANIFEST).unlink(), "manifest.json: missing"),
    "manifest not JSON (signed)": (_manifest_not_json, "not JSON"),
    "missing signature": (lambda f: (f / SIGNATURE).unlink(), "manifest.sig: missing"),
    "wrong signature": (
        lambda f: (f / SIGNATURE).write_text("hmac-sha256:" + "0" * 64),
        SIGNATURE_FAILS,
    ),
    "signed with another key": (
        lambda f: write_manifest(f, read_manifest(f), key="not ours"),
        SIGNATURE_FAILS,
    ),
    "database edited, hash recomputed": (_recomputed_hash, SIGNATURE_FAILS),
    "database edited, nothing recomputed": (
        lambda f: edit_rows(f, make_superuser),
        "SHA-256",
    ),
    "database truncated": (
        lambda f: (f / DATABASE).write_bytes((f / DATABASE).read_bytes()[:200]),
        "SHA-256",
    ),
    "database truncated, hash recomputed and signed": (_truncated_and_resigned, "not a JSON row"),
    "a media file missing": (lambda f: a_media_file(f).unlink(), "missing from the backup"),
    "a media file's bytes changed": (lambda f: a_media_file(f).write_bytes(b"x"), "SHA-256"),
    "an extra unknown file": (
        lambda f: (f / "media" / "evil.jpg").write_bytes(b"x"),
        "the manifest does not list",
    ),
    "an unknown model (signed)": (_unknown_model, "evil.backdoor"),
    "a row of a model the manifest does not count (signed)": (
        _row_of_an_uncounted_model,
        "a row of no model it lists",
    ),
    "a path escaping the archive (signed)": (_escaping_path, "outside the media folder"),
    "a wrong format version (signed)": (
        _manifest_field(format="cong-so-xanh-backup/2"),
        "cong-so-xanh-backup/2",
    ),
    "a manifest of the wrong shape (signed)": (
        _manifest_field(media=["a.jpg"]),
        "not the shape this release writes",
    ),
    "rows that do not load (signed)": (_rows_that_do_not_load, "could not be loaded"),
    "a media file replaced by a link": (_symlinked_media, "a link"),
}


def assert_refused_and_unchanged(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    source: Path,
    phrase: str = "",
) -> str:
    rows, files = database_fingerprint(), media_fingerprint()
    code, err = run_restore(monkeypatch, capsys, str(source), "--force")
    assert code == 2
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("CommandError: ") and "Traceback" not in err
    assert phrase in err
    assert database_fingerprint() == rows
    assert media_fingerprint() == files
    return err


@pytest.mark.parametrize("damage", list(FOLDER_DAMAGE))
def test_a_damaged_folder_is_refused_in_one_line_with_exit_2_and_nothing_changed(
    draft_with_photo: Inspection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    make_damage, phrase = FOLDER_DAMAGE[damage]
    make_damage(folder)

    assert_refused_and_unchanged(monkeypatch, capsys, folder, phrase)


def test_the_recomputed_hash_is_refused_for_its_signature(
    draft_with_photo: Inspection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    _recomputed_hash(folder)

    assert_refused_and_unchanged(monkeypatch, capsys, folder, "signature does not match")
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def _tar_of(folder: Path, target: Path, *extra: tarfile.TarInfo) -> Path:
    with tarfile.open(target, "w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(folder).as_posix())
        for member in extra:
            tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return target


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, 1 if kind == tarfile.REGTYPE else 0
    return info


TAR_DAMAGE: dict[str, tuple[Any, str]] = {
    "a truncated archive": (
        lambda folder, tar: tar.write_bytes(_tar_of(folder, tar).read_bytes()[:3000]),
        "cut short or damaged",
    ),
    "a member escaping the archive": (
        lambda folder, tar: _tar_of(folder, tar, _member("../../escape.txt")),
        "outside the archive",
    ),
    "an absolute member": (
        lambda folder, tar: _tar_of(folder, tar, _member("/etc/cron.d/x")),
        "outside the archive",
    ),
    "a link member": (
        lambda folder, tar: _tar_of(
            folder, tar, _member("media/link", tarfile.SYMTYPE, "/etc/passwd")
        ),
        "not a plain file",
    ),
    "an extra member": (
        lambda folder, tar: _tar_of(folder, tar, _member("extra.txt")),
        "the manifest does not list",
    ),
    "not an archive": (
        lambda folder, tar: tar.write_text("một tệp văn bản, không phải tar\n"),
        "not a backup archive",
    ),
    "an empty file": (lambda folder, tar: tar.write_bytes(b""), "not a backup archive"),
}


@pytest.mark.parametrize("damage", list(TAR_DAMAGE))
def test_a_damaged_tar_is_refused_in_one_line_with_exit_2_and_nothing_changed(
    draft_with_photo: Inspection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    damage: str,
) -> None:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    archive = tmp_path / "backup.tar"
    make_damage, phrase = TAR_DAMAGE[damage]
    make_damage(folder, archive)

    assert_refused_and_unchanged(monkeypatch, capsys, archive, phrase)


@pytest.mark.parametrize("source", ["an empty folder", "no such path"])
def test_a_source_that_is_no_backup_at_all_is_refused_alike(
    draft_with_photo: Inspection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    source: str,
) -> None:
    path = tmp_path / "backup"
    if source == "an empty folder":
        path.mkdir()

    phrase = "empty, not a backup" if source == "an empty folder" else "no such backup"
    assert_refused_and_unchanged(monkeypatch, capsys, path, phrase)


def test_a_tar_archive_is_signed_and_its_own_key_restores_it(
    draft_with_photo: Inspection,
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.BACKUP_SIGNING_KEY = "khóa riêng của bản sao lưu"
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        assert tar.extractfile(SIGNATURE).read().startswith(b"hmac-sha256:")  # type: ignore[union-attr]

    settings.BACKUP_SIGNING_KEY = ""  # SECRET_KEY would sign: not the key of this archive
    assert_refused_and_unchanged(monkeypatch, capsys, archive, "signature")
    settings.BACKUP_SIGNING_KEY = "khóa riêng của bản sao lưu"
    rows = database_fingerprint()
    call_command("restore", str(archive), "--force", verbosity=0)
    assert database_fingerprint() == rows
