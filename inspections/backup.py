"""Backup and restore: the database as portable JSON lines, every media file, SHA-256 sums.

The database goes through Django's dumpdata/loaddata (natural foreign keys, primary keys
kept), so a backup of PostgreSQL restores into SQLite and back. Media files go through the
storage API, so the same commands work on local disk and on S3. One archive: a .tar file, or
a folder when the target has no .tar suffix. `manifest.json` lists every member's hash and
size, the row count of every model and the migrations the data was written under;
`manifest.sig` signs it (HMAC-SHA256, inspections/backup_archive.py), and a restore checks
everything it can before it writes anything.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from inspections.backup_archive import (
    DATABASE,
    FORMAT,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MEDIA,
    SIGNATURE,
    BackupError,
    Reader,
    check_manifest,
    check_members,
    check_signature,
    sign,
)

__all__ = ["BackupError", "Summary", "backup", "restore"]
# Rebuilt from the code by migrate; references to them are written as natural keys.
DERIVED = ("contenttypes.contenttype", "auth.permission")
CHUNK = 1024 * 1024
# What loaddata raises on rows it cannot take; the transaction has rolled back by then.
_UNLOADABLE = (
    DeserializationError,
    DatabaseError,
    ObjectDoesNotExist,
    ValidationError,
    FieldDoesNotExist,
    LookupError,
    ValueError,
    TypeError,
)

Log = Callable[[str], None]


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    bytes: int


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def dumped_models() -> list[type[Model]]:
    """The models whose rows the backup carries (dumpdata's own choice, minus DERIVED)."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
        and _label(model) not in DERIVED
    ]


def row_counts() -> dict[str, int]:
    return {_label(model): model._base_manager.count() for model in dumped_models()}


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_names(folder: str = "") -> Iterator[str]:
    """Every file of the default storage, depth first, in a stable order."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from media_names(f"{folder}/{sub}" if folder else sub)


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner, self.sha, self.size = inner, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.inner.read(size)
        self.sha.update(chunk)
        self.size += len(chunk)
        return chunk


def _copy(source: IO[bytes], target: IO[bytes] | io.RawIOBase) -> tuple[str, int]:
    reader = _Hashing(source)
    shutil.copyfileobj(reader, target, CHUNK)
    return reader.sha.hexdigest(), reader.size


class _Writer:
    """A .tar file or a folder, written one member at a time."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.tar: tarfile.TarFile | None = None
        if target.suffix == ".tar":
            self.tar = tarfile.open(target, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        else:
            target.mkdir(parents=True, exist_ok=True)

    def add(self, name: str, source: IO[bytes], size: int) -> tuple[str, int]:
        if self.tar is None:
            path = self.target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                return _copy(source, out)
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
        reader = _Hashing(source)
        self.tar.addfile(info, reader)
        if reader.size != size:
            raise BackupError(f"{name}: {reader.size} bytes read, {size} expected")
        return reader.sha.hexdigest(), reader.size

    def close(self) -> None:
        if self.tar is not None:
            self.tar.close()


def backup(target: Path, *, log: Log = print) -> Summary:
    """Write the database and every media file into `target` (.tar file or folder)."""
    if target.exists() and (target.is_file() or any(target.iterdir())):
        raise BackupError(f"{target} already exists; a backup never overwrites one")
    writer = _Writer(target)
    try:
        with tempfile.TemporaryDirectory(prefix="csx-backup-") as scratch:
            dump = Path(scratch) / DATABASE
            counts, migrations = _dump_database(dump)
            with dump.open("rb") as stream:
                db_sha, db_size = writer.add(DATABASE, stream, dump.stat().st_size)
        log(f"Database: {sum(counts.values())} rows of {len(counts)} models, {db_size} bytes.")
        media: dict[str, dict[str, Any]] = {}
        for name in media_names():
            with default_storage.open(name, "rb") as stream:
                sha, size = writer.add(MEDIA + name, stream, default_storage.size(name))
            media[name] = {"sha256": sha, "size": size}
        total = sum(item["size"] for item in media.values())
        log(f"Media: {len(media)} files, {total} bytes.")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": connection.vendor,
                "file": DATABASE,
                "sha256": db_sha,
                "size": db_size,
                "rows": counts,
                "migrations": migrations,
            },
            "media": media,
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        writer.add(MANIFEST, io.BytesIO(body), len(body))
        signature = sign(body)
        writer.add(SIGNATURE, io.BytesIO(signature), len(signature))
    except BaseException:
        writer.close()
        _discard(target)
        raise
    writer.close()
    return Summary(rows=sum(counts.values()), files=len(media), bytes=db_size + total)


def _discard(target: Path) -> None:
    if target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)


def _dump_database(path: Path) -> tuple[dict[str, int], list[str]]:
    """Rows, counts and migrations from one snapshot of the database (on PostgreSQL)."""
    first = not connection.in_atomic_block  # isolation can be set only at the start
    with transaction.atomic():
        if connection.vendor == "postgresql" and first:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts, migrations = row_counts(), applied_migrations()
        with path.open("w", encoding="utf-8") as out:
            serializers.serialize(
                "jsonl",
                _all_rows(),
                stream=out,
                use_natural_foreign_keys=True,
                cls=_ExactEncoder,
            )
    return counts, migrations


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _all_rows() -> Iterator[Model]:
    """dumpdata's order (dependencies first, then by primary key), streamed."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    wanted = set(dumped_models())
    for model in serializers.sort_dependencies(app_list, allow_cycles=True):
        if model in wanted:
            pk_name = model._meta.pk.name if model._meta.pk else "pk"
            yield from model._base_manager.order_by(pk_name).iterator()


def database_has_data() -> bool:
    return any(model._base_manager.exists() for model in dumped_models())


def restore(source: Path, *, force: bool = False, log: Log = print) -> Summary:
    """Check the signature, the manifest, every member and every row first; then load the
    rows (all or nothing: with `force` the old rows are replaced inside the same transaction)
    and put the files back. A damaged archive is a BackupError before anything is written."""
    reader = Reader(source)
    try:
        with tempfile.TemporaryDirectory(prefix="csx-restore-") as scratch:
            dump = Path(scratch) / DATABASE
            manifest = _checked_archive(reader, dump)
            log(f"Checked: signature, database and {len(manifest['media'])} files.")
            _check_schema(manifest)
            if database_has_data() and not force:
                raise BackupError("the database is not empty; restore with --force to replace it")
            _load(dump, manifest["database"]["rows"], flush=force)
        rows = sum(manifest["database"]["rows"].values())
        log(f"Database: {rows} rows loaded.")
        total = _put_files(reader, manifest["media"])
        log(f"Media: {len(manifest['media'])} files, {total} bytes put back.")
    finally:
        reader.close()
    return Summary(rows=rows, files=len(manifest["media"]), bytes=total)


def _checked_archive(reader: Reader, dump: Path) -> dict[str, Any]:
    """The manifest of an archive found whole and signed; its rows copied to `dump`."""
    try:
        manifest = _manifest(reader)
        check_members(reader, manifest)
        _verify(reader, manifest)
        with reader.open(DATABASE) as stream, dump.open("wb") as out:
            sha, _size = _copy(stream, out)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{reader.source}: the archive cannot be read: {error}") from None
    if sha != manifest["database"]["sha256"]:
        raise BackupError(f"{DATABASE}: changed while being restored")
    _check_rows(dump, manifest["database"]["rows"])
    return manifest


def _manifest(reader: Reader) -> dict[str, Any]:
    if MANIFEST not in reader.names:
        raise BackupError(f"{MANIFEST}: missing, not a backup of this application")
    if SIGNATURE not in reader.names:
        raise BackupError(f"{SIGNATURE}: missing, so nothing vouches for {MANIFEST}; refused")
    body = reader.read_small(MANIFEST, MAX_MANIFEST_BYTES)
    check_signature(body, reader.read_small(SIGNATURE, 1024))
    try:
        manifest = json.loads(body)
    except ValueError:
        raise BackupError(f"{MANIFEST} is not JSON") from None
    return check_manifest(manifest, {_label(model) for model in dumped_models()})


def _verify(reader: Reader, manifest: dict[str, Any]) -> None:
    expected = {DATABASE: manifest["database"]}
    expected.update({MEDIA + name: item for name, item in manifest["media"].items()})
    wrong = []
    for name, item in expected.items():
        with reader.open(name) as stream:
            sha, size = _copy(stream, _Null())
        if sha != item["sha256"] or size != item["size"]:
            wrong.append(name)
    if wrong:
        raise BackupError(f"{len(wrong)} files do not match their SHA-256 sums: {wrong[:10]}")


def _check_rows(dump: Path, expected: dict[str, int]) -> None:
    """Every line a row of a model the manifest counts, as many as it counts."""
    found: Counter[str] = Counter()
    with dump.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise BackupError(f"{DATABASE} line {number}: not a JSON row") from None
            label = row.get("model") if isinstance(row, dict) else None
            if not isinstance(label, str) or label not in expected:
                raise BackupError(f"{DATABASE} line {number}: a row of no model it lists")
            found[label] += 1
    wrong = {label: (n, found[label]) for label, n in expected.items() if found[label] != n}
    if wrong:
        raise BackupError(f"{DATABASE}: rows per model differ from the manifest: {wrong}")


class _Null(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def _check_schema(manifest: dict[str, Any]) -> None:
    missing = set(manifest["database"]["migrations"]) - set(applied_migrations())
    if missing:
        raise BackupError(
            f"the backup needs migrations not applied here ({sorted(missing)[:5]}); "
            "install that release and run `manage.py migrate` first"
        )


def _load(dump: Path, expected: dict[str, int], *, flush: bool) -> None:
    try:
        with transaction.atomic():
            if flush:
                # Inside the transaction: a failed load leaves the old rows in place.
                _set_constraints("IMMEDIATE")  # PostgreSQL will not TRUNCATE with checks pending
                call_command("flush", interactive=False, verbosity=0)
                _set_constraints("DEFERRED")
            call_command("loaddata", str(dump), verbosity=0)
            found = row_counts()
            wrong = {
                label: (n, found.get(label))
                for label, n in expected.items()
                if found.get(label) != n
            }
            if wrong:
                raise BackupError(f"rows loaded do not match the manifest: {wrong}")
    except _UNLOADABLE as error:
        # A signed archive whose rows still do not load (made by a broken release, say).
        raise BackupError(
            f"{DATABASE}: the rows could not be loaded, nothing was changed: {str(error)[:300]}"
        ) from None


def _set_constraints(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _put_files(reader: Reader, media: dict[str, dict[str, Any]]) -> int:
    total = 0
    for name, item in media.items():
        if default_storage.exists(name):
            default_storage.delete(name)  # else the storage would pick another name
        with reader.open(MEDIA + name) as stream:
            saved = default_storage.save(name, File(stream, name=name))
        if saved != name:
            raise BackupError(f"{name}: stored as {saved}")
        total += item["size"]
    return total
