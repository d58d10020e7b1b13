"""Reading a backup archive without trusting it: members, signature, manifest.

A backup is only restored when its manifest carries a valid HMAC-SHA256 signature (the key
is BACKUP_SIGNING_KEY, or SECRET_KEY when that is empty: docs/deploy.md §4), when the
manifest has the shape this release writes, and when the archive holds exactly the members
the manifest lists, each a plain file under the archive's own root. Every refusal is a
`BackupError` with a message on one line.
"""

from __future__ import annotations

import hmac
import os
import re
import tarfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.crypto import salted_hmac

FORMAT = "cong-so-xanh-backup/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATABASE = "database.jsonl"
MEDIA = "media/"
_SIGNATURE_PREFIX = "hmac-sha256:"
_SALT = "cong-so-xanh.backup.manifest"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_MAX_SIGNATURE_BYTES = 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why, on one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def signing_key() -> str:
    """The key that signs and checks manifests."""
    return str(getattr(settings, "BACKUP_SIGNING_KEY", "") or settings.SECRET_KEY)


def sign(body: bytes, key: str | None = None) -> bytes:
    """The content of manifest.sig for these manifest bytes."""
    digest = salted_hmac(_SALT, body, secret=key or signing_key(), algorithm="sha256")
    return f"{_SIGNATURE_PREFIX}{digest.hexdigest()}\n".encode()


def check_signature(body: bytes, signature: bytes) -> None:
    if not hmac.compare_digest(signature.strip(), sign(body).strip()):
        raise BackupError(
            f"{SIGNATURE}: the signature does not match {MANIFEST}: the archive was changed "
            "after it was made, or it was signed with another key (BACKUP_SIGNING_KEY)"
        )


def safe_name(name: str) -> bool:
    """A relative path that stays inside the archive (and the storage): no "..", no root."""
    if not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


class Reader:
    """A .tar file (plain or compressed) or a folder, listed in full before anything is read."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.tar: tarfile.TarFile | None = None
        self.members: dict[str, tarfile.TarInfo] = {}
        if source.is_dir():
            self.names = self._folder_names()
        elif source.is_file():
            self.names = self._tar_names()
        else:
            raise BackupError(f"{source}: no such backup")
        if not self.names:
            raise BackupError(f"{source}: empty, not a backup")

    def _folder_names(self) -> set[str]:
        names = set()
        for folder, dirs, files in os.walk(self.source):
            for entry in [*dirs, *files]:
                path = Path(folder) / entry
                relative = path.relative_to(self.source).as_posix()
                if path.is_symlink():
                    raise BackupError(f"{relative}: a link, not a plain file; refused")
                if entry in files:
                    if not path.is_file():
                        raise BackupError(f"{relative}: not a plain file; refused")
                    names.add(relative)
        return names

    def _tar_names(self) -> set[str]:
        try:
            self.tar = tarfile.open(self.source, "r:*")  # noqa: SIM115 (closed by close())
        except (tarfile.TarError, OSError):
            raise BackupError(
                f"{self.source}: not a backup archive (neither a .tar file nor a folder)"
            ) from None
        try:
            members = self.tar.getmembers()  # reads every header: a cut archive fails here
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            self.close()
            raise BackupError(
                f"{self.source}: the archive is cut short or damaged ({error})"
            ) from None
        for member in members:
            name = member.name.removeprefix("./")
            if member.isdir():
                continue
            if not safe_name(name):
                raise BackupError(f"{member.name!r}: a path outside the archive; refused")
            if not member.isfile():
                raise BackupError(f"{name}: a link or device, not a plain file; refused")
            if name in self.members:
                raise BackupError(f"{name}: twice in the archive; refused")
            self.members[name] = member
        return set(self.members)

    def open(self, name: str) -> IO[bytes]:
        if name not in self.names:
            raise BackupError(f"{name}: missing from the backup")
        if self.tar is None:
            return (self.source / name).open("rb")
        stream = self.tar.extractfile(self.members[name])
        if stream is None:
            raise BackupError(f"{name}: not a plain file; refused")
        return stream

    def read_small(self, name: str, limit: int) -> bytes:
        with self.open(name) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise BackupError(f"{name}: larger than {limit} bytes, not a backup's")
        return data

    def close(self) -> None:
        if self.tar is not None:
            self.tar.close()


def _fail(detail: str) -> BackupError:
    return BackupError(f"{MANIFEST}: not the shape this release writes ({detail})")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_file_entry(where: str, item: Any) -> None:
    if not isinstance(item, dict):
        raise _fail(f"{where} is not an object")
    if not isinstance(item.get("sha256"), str) or not _SHA256.match(item["sha256"]):
        raise _fail(f"{where}: sha256 is not a SHA-256 in hexadecimal")
    if not _is_count(item.get("size")):
        raise _fail(f"{where}: size is not a byte count")


def check_manifest(manifest: Any, known_models: set[str]) -> dict[str, Any]:
    """The manifest, once its shape, names and models are what a restore may trust."""
    if not isinstance(manifest, dict):
        raise _fail("not a JSON object")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{MANIFEST}: format {manifest.get('format')!r} is not {FORMAT!r}, "
            "the one this release restores"
        )
    database, media = manifest.get("database"), manifest.get("media")
    if not isinstance(database, dict) or not isinstance(media, dict):
        raise _fail("database and media must be objects")
    if database.get("file") != DATABASE:
        raise _fail(f"database.file is not {DATABASE}")
    _check_file_entry("database", database)
    rows, migrations = database.get("rows"), database.get("migrations")
    if not isinstance(rows, dict) or not all(_is_count(n) for n in rows.values()):
        raise _fail("database.rows must map models to row counts")
    if not isinstance(migrations, list) or not all(isinstance(m, str) for m in migrations):
        raise _fail("database.migrations must be a list of names")
    unknown = sorted(str(label) for label in rows if label not in known_models)
    if unknown:
        raise BackupError(f"{MANIFEST}: rows of models this release does not have: {unknown[:5]}")
    for name, item in media.items():
        if not safe_name(name):
            raise BackupError(f"{name!r}: a path outside the media folder; refused")
        _check_file_entry(f"media {name!r}", item)
    return manifest


def check_members(reader: Reader, manifest: dict[str, Any]) -> None:
    """The archive holds exactly the manifest's members, no fewer and no more."""
    expected = {MANIFEST, SIGNATURE, DATABASE} | {MEDIA + name for name in manifest["media"]}
    missing, extra = sorted(expected - reader.names), sorted(reader.names - expected)
    if missing:
        raise BackupError(f"{len(missing)} files missing from the backup: {missing[:5]}")
    if extra:
        raise BackupError(f"{len(extra)} files the manifest does not list: {extra[:5]}")
