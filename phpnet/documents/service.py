"""Storing and serving uploaded documents, the one way every module does it.

An upload is accepted only when its extension is on the allow-list AND its
bytes are what the extension claims (security.md G4). The bytes go outside
the web root under a server-made name: written to a temp file, fsynced, then
moved into place with ``os.replace``, so a file is either whole or absent.
The row is added to the caller's session and commits with the caller's own
record. A placed file whose transaction does not commit is removed again by
session hooks, so there is never a row without its file (R4, R5); a crash
between placing and committing can only leave an unreferenced file behind."""

import errno
import hashlib
import logging
import os
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

import filetype
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from phpnet.auth.models import User
from phpnet.documents.models import Document
from phpnet.extensions import db
from phpnet.regions.models import Regency

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
HEAD_BYTES = 8192
MAX_NAME_LENGTH = 255
FALLBACK_NAME = "dokumen"
MAX_ZIP_MEMBERS = 10_000
PLACED_FILES_KEY = "phpnet_placed_documents"


@dataclass(frozen=True)
class DocumentKind:
    """One allowed type of document."""

    label: str
    media_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, DocumentKind] = {
    "pdf": DocumentKind("PDF", "application/pdf", ("pdf",)),
    "jpeg": DocumentKind("JPEG", "image/jpeg", ("jpg", "jpeg")),
    "png": DocumentKind("PNG", "image/png", ("png",)),
    "docx": DocumentKind(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "xlsx": DocumentKind(
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
}
ALL_KINDS = frozenset(KINDS)
SERVED_MEDIA_TYPES = frozenset(kind.media_type for kind in KINDS.values())
FALLBACK_MEDIA_TYPE = "application/octet-stream"

# The part every genuine Office file of that kind has (ECMA-376 package layout).
OFFICE_MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class DocumentError(Exception):
    """An upload that was not stored; ``message`` is shown next to the field."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentRejected(DocumentError):
    """The file itself is not acceptable (type, content or size)."""


class DocumentNotStored(DocumentError):
    """The file was acceptable but the server could not store it."""

    status = 507


def clean_display_name(raw: str | None) -> str:
    """The uploaded name, safe to show and to put in a download header: no
    directory parts, no control or invisible formatting characters (a CR/LF
    would break the Content-Disposition header), at most 255 characters with
    the extension kept; "dokumen" when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"})
    name = name.strip().lstrip(".").strip()
    if not name:
        return FALLBACK_NAME
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 16:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def human_size(size: int) -> str:
    """20 MB, 1,5 MB, 500 KB (Indonesian decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            number = f"{size / factor:.1f}".rstrip("0").rstrip(".")
            return f"{number.replace('.', ',')} {unit}"
    return f"{size} byte"


def allowed_hint(kinds: Collection[str]) -> str:
    """What the user may upload, for messages and form hints."""
    labels = [KINDS[k].label for k in KINDS if k in kinds]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " atau " + labels[-1]
    limit = human_size(current_app.config["DOCUMENT_MAX_BYTES"])
    return f"Unggah berkas {listed}, paling besar {limit}."


def _kind_for_extension(extension: str, kinds: Collection[str]) -> str | None:
    for key in kinds:
        if extension in KINDS[key].extensions:
            return key
    return None


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _is_office_package(stream: IO[bytes], kind: str) -> bool:
    """A real DOCX/XLSX: a zip whose member list (read from the central
    directory, nothing is extracted) has the package parts of that kind and
    no macros."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return False
    finally:
        stream.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        return False
    names = set(members)
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and OFFICE_MAIN_PARTS[kind] in names and not has_macros


def _content_matches(stream: IO[bytes], kind: str) -> bool:
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind in OFFICE_MAIN_PARTS:
        return head.startswith(b"PK\x03\x04") and _is_office_package(stream, kind)
    guessed = filetype.guess(head)
    return guessed is not None and guessed.mime == KINDS[kind].media_type


def _check(upload: FileStorage, name: str, kinds: Collection[str]) -> tuple[str, int]:
    """The kind and size of an acceptable upload; DocumentRejected otherwise."""
    hint = allowed_hint(kinds)
    extension = extension_of(name)
    kind = _kind_for_extension(extension, kinds)
    if kind is None:
        raise DocumentRejected(f"Jenis berkas tidak diizinkan. {hint}")
    size = _size_of(upload.stream)
    if size == 0:
        raise DocumentRejected(f"Berkas kosong. {hint}")
    if size > current_app.config["DOCUMENT_MAX_BYTES"]:
        raise DocumentRejected(f"Berkas terlalu besar ({human_size(size)}). {hint}")
    if not _content_matches(upload.stream, kind):
        raise DocumentRejected(f"Isi berkas bukan {KINDS[kind].label} yang sah. {hint}")
    return kind, size


def documents_root() -> Path:
    return Path(current_app.config["DOCUMENTS_PATH"])


def stored_path(storage_name: str) -> Path:
    """Where the bytes of a document live: a two-level fan-out keeps
    directories small (ab/cd/abcd...)."""
    return documents_root() / storage_name[:2] / storage_name[2:4] / storage_name


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_temp(stream: IO[bytes], temp_path: Path) -> str:
    """Copy the upload to ``temp_path``, flushed to disk; return its sha256."""
    digest = hashlib.sha256()
    with temp_path.open("xb") as target:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            target.write(chunk)
        target.flush()
        os.fsync(target.fileno())
    return digest.hexdigest()


def _place(stream: IO[bytes], storage_name: str) -> str:
    """Write the bytes to their final place atomically; return their sha256."""
    final_path = stored_path(storage_name)
    temp_dir = documents_root() / "tmp"
    temp_path = temp_dir / f"{storage_name}.part"
    try:
        temp_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
        final_path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        sha256 = _write_temp(stream, temp_path)
        os.replace(temp_path, final_path)
        _fsync_directory(final_path.parent)
    except OSError as error:
        temp_path.unlink(missing_ok=True)
        final_path.unlink(missing_ok=True)
        log.exception("document %s could not be stored", storage_name)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DocumentNotStored(
                "Berkas tidak tersimpan: ruang penyimpanan server penuh. "
                "Laporkan kepada admin, lalu coba lagi."
            ) from error
        raise DocumentNotStored(
            "Berkas tidak tersimpan karena gangguan penyimpanan server. "
            "Laporkan kepada admin, lalu coba lagi."
        ) from error
    return sha256


def store_document(
    upload: FileStorage,
    regency: Regency | None,
    uploaded_by: User,
    *,
    kinds: Collection[str] = ALL_KINDS,
) -> Document:
    """Check ``upload``, store its bytes and add its Document row to the
    session; the caller commits it together with its own record. ``kinds``
    narrows the allow-list (e.g. ``{"pdf"}`` for a scanned decree).
    Raises DocumentRejected or DocumentNotStored, nothing stored then."""
    name = clean_display_name(upload.filename)
    kind, size = _check(upload, name, kinds)
    storage_name = uuid.uuid4().hex
    sha256 = _place(upload.stream, storage_name)
    _track_placed_file(db.session(), stored_path(storage_name))
    document = Document(
        regency_id=regency.id if regency is not None else None,
        original_name=name,
        media_type=KINDS[kind].media_type,
        size_bytes=size,
        sha256=sha256,
        storage_name=storage_name,
        uploaded_by_id=uploaded_by.id,
    )
    db.session.add(document)
    return document


def sweep_orphans(older_than: timedelta = timedelta(hours=1)) -> list[Path]:
    """Delete stored files no document refers to (left by a crash between
    placing a file and committing its row) and stale temp files; return them.
    Only files older than ``older_than`` go: a younger one may belong to an
    upload whose transaction is still open."""
    root = documents_root()
    if not root.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    referenced = set(db.session.execute(db.select(Document.storage_name)).scalars())
    removed = []
    stored = (p for p in root.glob("*/*/*") if p.name not in referenced)
    candidates = [*stored, *root.glob("tmp/*")]
    for path in candidates:
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def served_media_type(document: Document) -> str:
    """The Content-Type to serve: only ever one of the allow-list."""
    if document.media_type in SERVED_MEDIA_TYPES:
        return document.media_type
    return FALLBACK_MEDIA_TYPE


# --- Files placed in a transaction that does not commit are removed. --------
# Each placed file belongs to the innermost transaction active when it was
# placed. A savepoint that commits hands its files to its parent; the root
# transaction that commits forgets them (they are referenced now). Files still
# owned by a transaction when it ends were rolled back (or the session was
# closed without commit): they are deleted.


def _placed_files(session: Session) -> dict[SessionTransaction, list[Path]]:
    return session.info.setdefault(PLACED_FILES_KEY, {})


def _track_placed_file(session: Session, path: Path) -> None:
    if session.get_transaction() is None:
        session.begin()
    owner = session.get_nested_transaction() or session.get_transaction()
    _placed_files(session).setdefault(owner, []).append(path)


def _after_commit(session: Session) -> None:
    committing = session.get_nested_transaction() or session.get_transaction()
    files = _placed_files(session).pop(committing, [])
    if committing is not None and committing.nested and committing.parent is not None:
        _placed_files(session).setdefault(committing.parent, []).extend(files)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    for path in _placed_files(session).pop(transaction, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("orphan document %s could not be removed", path)


def install() -> None:
    """Attach the hooks to Flask-SQLAlchemy's session class (once per process)."""
    target = db.session.session_factory.class_
    for name, hook in (
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(target, name, hook):
            event.listen(target, name, hook)
