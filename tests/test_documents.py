"""The documents service and the download route (security.md G1-G6, R4-R5)."""

import errno
import hashlib
import io
import os
import struct
import time
import zipfile
import zlib
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

from phpnet.documents.models import Document
from phpnet.documents.service import (
    DocumentNotStored,
    DocumentRejected,
    clean_display_name,
    store_document,
    stored_path,
    sweep_orphans,
)
from phpnet.extensions import db
from phpnet.regions.models import Regency, dotted_code
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from phpnet.testing import REGENCY_A, REGENCY_B

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **(extra or {}),
        }
    )


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "TPS 001"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, client_type: str = "text/html") -> FileStorage:
    """An upload as the browser sends it; the client's type is deliberately wrong."""
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=client_type)


def stored_files(app) -> list[Path]:
    root = Path(app.config["DOCUMENTS_PATH"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def document_count() -> int:
    return db.session.execute(db.select(db.func.count(Document.id))).scalar_one()


def store_and_commit(name: str, data: bytes, code: str, uploader) -> Document:
    document = store_document(upload(name, data), regency_by_code(code), uploader)
    db.session.commit()
    return document


def regency_by_code(code: str) -> Regency:
    return db.session.execute(db.select(Regency).filter_by(code=dotted_code(code))).scalar_one()


# --- What is accepted, and how it is stored ---------------------------------


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("SK Tim.pdf", PDF, "application/pdf"),
        ("foto-tps.JPG", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("c-hasil.png", _png(), "image/png"),
        (
            "jawaban.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("dim.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_documents_are_stored_whole_with_their_sha256(app, user, name, data, media_type):
    document = store_and_commit(name, data, REGENCY_A, user("operator_a"))

    path = stored_path(document.storage_name)
    assert path.read_bytes() == data
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.media_type == media_type  # from the allow-list, not the client's text/html
    assert document.size_bytes == len(data)
    assert document.original_name == name
    assert document.storage_name not in name and len(document.storage_name) == 32
    assert path.parent.parent.parent == Path(app.config["DOCUMENTS_PATH"])
    assert stored_files(app) == [path]  # no temp file left behind


def test_a_reupload_of_the_same_file_is_a_new_document(app, user):
    first = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    second = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))

    assert first.storage_name != second.storage_name
    assert stored_path(first.storage_name).read_bytes() == PDF
    assert len(stored_files(app)) == 2


# --- What is refused (G1, G2, G4) -------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rapat.pdf", HTML),  # HTML calling itself a PDF
        ("rapat.pdf.html", PDF),  # double extension
        ("a.pdf\x00.html", PDF),  # NUL trick: the real extension is .html
        ("setup.pdf", EXE),  # renamed program
        ("setup.exe", EXE),
        ("peta.svg", SVG),  # SVG can carry script
        ("peta.png", SVG),
        ("foto.jpg", _png()),  # extension and content disagree
        ("foto.png", JPEG),
        ("tanpa-ekstensi", PDF),
        ("surat.docx", PDF),
        ("surat.docx", _zip({"index.html": HTML})),  # a zip, but no Word document
        ("surat.docx", _docx({"word/vbaProject.bin": b"macro"})),  # macros
        ("surat.xlsx", _docx()),  # a Word file named as a workbook
        ("dim.xlsx", b"PK\x03\x04 this is not really a zip"),
    ],
)
def test_spoofed_or_unlisted_files_are_refused_and_nothing_is_written(app, user, name, data):
    with pytest.raises(DocumentRejected) as refused:
        store_document(upload(name, data), regency_by_code(REGENCY_A), user("operator_a"))
    db.session.commit()

    assert "PDF, JPEG, PNG, DOCX atau XLSX, paling besar 20 MB" in refused.value.message
    assert stored_files(app) == []
    assert document_count() == 0


def test_a_file_over_the_document_limit_is_refused_before_anything_is_written(app, user):
    app.config["DOCUMENT_MAX_BYTES"] = 1024
    with pytest.raises(DocumentRejected) as refused:
        store_document(
            upload("besar.pdf", PDF + b"0" * 1024), regency_by_code(REGENCY_A), user("operator_a")
        )
    assert "terlalu besar" in refused.value.message
    assert "paling besar 1 KB" in refused.value.message
    assert stored_files(app) == []


def test_an_empty_file_is_refused(app, user):
    with pytest.raises(DocumentRejected, match="kosong"):
        store_document(upload("kosong.pdf", b""), regency_by_code(REGENCY_A), user("operator_a"))


def test_a_narrowed_allow_list_names_only_its_types(app, user):
    with pytest.raises(DocumentRejected) as refused:
        store_document(
            upload("foto.png", _png()),
            regency_by_code(REGENCY_A),
            user("operator_a"),
            kinds={"pdf"},
        )
    assert refused.value.message.endswith("Unggah berkas PDF, paling besar 20 MB.")


def test_a_request_body_over_the_request_limit_gets_413_and_nothing_is_written(app, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/sk/baru",
        data={
            "sk_number": "1/2024",
            "sk_date": "2024-03-01",
            "signed_by": "Ketua",
            "scan": (io.BytesIO(PDF + b"0" * 8192), "sk.pdf"),
        },
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert stored_files(app) == []
    assert db.session.execute(db.select(db.func.count(Team.id))).scalar_one() == 0


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path.pdf", "path.pdf"),
        ("....//x.pdf", "x.pdf"),
        ("a.pdf\x00.html", "a.pdf.html"),
        ("SK\r\nSet-Cookie: x=1.pdf", "SKSet-Cookie: x=1.pdf"),
        ("\u202efdp.exe", "fdp.exe"),  # right-to-left override hides the real extension
        ("..", "dokumen"),
        ("", "dokumen"),
        (None, "dokumen"),
        ('a"b;.pdf', 'a"b;.pdf'),
        ("Surat Keputusan № 5 – Tim.pdf", "Surat Keputusan № 5 – Tim.pdf"),
    ],
)
def test_the_original_name_is_kept_only_as_clean_display_text(raw, shown):
    assert clean_display_name(raw) == shown


def test_a_very_long_name_is_cut_to_255_characters_keeping_its_extension():
    cleaned = clean_display_name("a" * 300 + ".pdf")
    assert len(cleaned) == 255
    assert cleaned.endswith("a.pdf")


# --- Storage faults (R4, R5) --------------------------------------------------


def test_disk_full_gives_a_clear_error_no_row_and_no_temp_file(app, user, monkeypatch):
    def disk_full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DocumentNotStored) as failed:
        store_document(upload("sk.pdf", PDF), regency_by_code(REGENCY_A), user("operator_a"))
    monkeypatch.undo()

    assert "ruang penyimpanan server penuh" in failed.value.message
    assert stored_files(app) == []
    db.session.commit()
    assert document_count() == 0
    # the database is still writable, and the next upload works
    store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    assert document_count() == 1


def test_disk_full_on_the_decree_form_shows_the_error_next_to_the_field(app, login_as, monkeypatch):
    def disk_full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/sk/baru",
        data={
            "sk_number": "1/2024",
            "sk_date": "2024-03-01",
            "signed_by": "Ketua",
            "scan": (io.BytesIO(PDF), "sk.pdf"),
        },
    )
    monkeypatch.undo()

    assert response.status_code == 507
    assert 'id="scan-error"' in response.get_data(as_text=True)
    assert "ruang penyimpanan server penuh" in response.get_data(as_text=True)
    assert stored_files(app) == []
    assert db.session.execute(db.select(db.func.count(Team.id))).scalar_one() == 0
    assert document_count() == 0


def test_a_rollback_after_the_file_was_placed_removes_the_file(app, user):
    document = store_document(upload("sk.pdf", PDF), regency_by_code(REGENCY_A), user("operator_a"))
    path = stored_path(document.storage_name)
    assert path.read_bytes() == PDF

    db.session.rollback()  # e.g. the caller's own record failed to save

    assert not path.exists()
    assert stored_files(app) == []
    assert document_count() == 0


def test_a_session_closed_without_commit_removes_the_file(app, user):
    document = store_document(upload("sk.pdf", PDF), regency_by_code(REGENCY_A), user("operator_a"))
    path = stored_path(document.storage_name)

    db.session.remove()  # what Flask-SQLAlchemy does at the end of every request

    assert not path.exists()


def test_a_failing_commit_removes_the_file(app, user):
    document = store_document(upload("sk.pdf", PDF), regency_by_code(REGENCY_A), user("operator_a"))
    document.uploaded_by_id = 999_999  # violates a foreign key: the commit fails
    path = stored_path(document.storage_name)

    with pytest.raises(Exception, match=r"(?i)foreign key"):
        db.session.commit()
    db.session.rollback()

    assert not path.exists()
    assert document_count() == 0


def test_a_committed_document_survives_later_rollbacks(app, user):
    document = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    path = stored_path(document.storage_name)
    db.session.rollback()
    db.session.remove()
    assert path.read_bytes() == PDF


def test_a_rolled_back_savepoint_removes_only_its_own_file(app, user):
    operator = user("operator_a")
    kept = store_document(upload("tetap.pdf", PDF), regency_by_code(REGENCY_A), operator)
    savepoint = db.session.begin_nested()
    dropped = store_document(upload("batal.pdf", PDF), regency_by_code(REGENCY_A), operator)
    db.session.flush()
    savepoint.rollback()
    db.session.commit()

    assert stored_path(kept.storage_name).exists()
    assert not stored_path(dropped.storage_name).exists()
    assert document_count() == 1


def test_a_released_savepoint_keeps_its_file_only_if_the_outer_transaction_commits(app, user):
    with db.session.begin_nested():
        document = store_document(upload("sk.pdf", PDF), regency_by_code(REGENCY_A), user("admin"))
    path = stored_path(document.storage_name)
    assert path.exists()

    db.session.rollback()

    assert not path.exists()


def test_an_error_in_the_view_after_the_upload_leaves_no_file_and_no_row(
    app, regency, login_as, monkeypatch
):
    team = Team(regency_id=regency(REGENCY_A).id, sk_number="1/2024", sk_date=date(2024, 1, 5))
    team.signed_by = "Ketua"
    team.members = [
        TeamMember(
            regency_id=team.regency_id,
            name="Budi",
            position=Position.KETUA,
            unit=OfficeUnit.DIVISI_HUKUM,
        )
    ]
    db.session.add(team)
    db.session.commit()

    def crash(_member: TeamMember) -> TeamMember:
        raise RuntimeError("crash between placing the file and the commit")

    monkeypatch.setattr("phpnet.teams.views._copy_member", crash)
    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/sk/baru",
        data={
            "sk_number": "2/2024",
            "sk_date": "2024-03-01",
            "signed_by": "Ketua",
            "copy_members": "y",
            "scan": (io.BytesIO(PDF), "sk.pdf"),
        },
    )
    assert response.status_code == 500
    db.session.remove()  # the end of the request (the test keeps one app context open)

    assert stored_files(app) == []
    assert document_count() == 0
    assert db.session.execute(db.select(db.func.count(Team.id))).scalar_one() == 1


# --- Download (G3, G5, A1, A7) ------------------------------------------------


def test_a_stored_script_is_served_as_an_attachment_never_as_a_page(app, user, login_as):
    document = store_and_commit("laporan.pdf", POLYGLOT, REGENCY_A, user("operator_a"))

    response = login_as("pemantau_a").get(f"/r/{REGENCY_A}/dokumen/{document.id}")

    assert response.status_code == 200
    assert response.data == POLYGLOT
    assert response.mimetype == "application/pdf"
    assert "html" not in response.headers["Content-Type"]
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.cache_control.no_store


def test_a_document_with_an_unlisted_stored_type_is_served_as_octet_stream(app, user, login_as):
    document = store_and_commit("laporan.pdf", PDF, REGENCY_A, user("operator_a"))
    document.media_type = "text/html"  # a row written by something that skipped the service
    db.session.commit()

    response = login_as("operator_a").get(f"/r/{REGENCY_A}/dokumen/{document.id}")

    assert response.mimetype == "application/octet-stream"


def _disposition_names(header: str) -> tuple[str, str]:
    """The plain filename and the decoded RFC 5987 filename* of a header."""
    parts = dict(part.strip().split("=", 1) for part in header.split(";")[1:] if "=" in part)
    plain = parts["filename"].strip('"')
    extended = parts["filename*"]
    assert extended.startswith("UTF-8''")
    return plain, unquote(extended.removeprefix("UTF-8''"))


@pytest.mark.parametrize(
    ("uploaded_as", "download_name", "ascii_name"),
    [
        ("SK\r\nSet-Cookie: sesi=curian.pdf", "SKSet-Cookie: sesi=curian.pdf", None),
        ("../../etc/passwd.pdf", "passwd.pdf", "passwd.pdf"),
        ("سند.pdf", "سند.pdf", None),
        ("文件.pdf", "文件.pdf", None),
        ("Berita Acara Rekapitulasi.pdf", "Berita Acara Rekapitulasi.pdf", None),
    ],
)
def test_the_download_carries_the_cleaned_name_in_rfc_5987_form(
    app, user, login_as, uploaded_as, download_name, ascii_name
):
    document = store_and_commit(uploaded_as, PDF, REGENCY_A, user("operator_a"))

    response = login_as("operator_a").get(f"/r/{REGENCY_A}/dokumen/{document.id}")

    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    plain, extended = _disposition_names(header)
    assert extended == download_name
    assert plain.isascii() and plain
    if ascii_name:
        assert plain == ascii_name


def test_a_300_character_name_downloads_fine(app, user, login_as):
    document = store_and_commit("b" * 300 + ".pdf", PDF, REGENCY_A, user("operator_a"))
    response = login_as("operator_a").get(f"/r/{REGENCY_A}/dokumen/{document.id}")
    assert response.status_code == 200
    assert _disposition_names(response.headers["Content-Disposition"])[1].endswith("b.pdf")


def test_documents_of_another_regency_answer_404_like_missing_ones(app, user, login_as):
    document_b = store_and_commit("sk-surabaya.pdf", PDF, REGENCY_B, user("operator_b"))
    operator_a = login_as("operator_a")

    through_a = operator_a.get(f"/r/{REGENCY_A}/dokumen/{document_b.id}")
    missing = operator_a.get(f"/r/{REGENCY_A}/dokumen/{document_b.id + 1000}")
    directly = operator_a.get(f"/r/{REGENCY_B}/dokumen/{document_b.id}")

    assert through_a.status_code == missing.status_code == directly.status_code == 404
    assert PDF not in through_a.data and b"sk-surabaya" not in through_a.data
    assert login_as("operator_b").get(f"/r/{REGENCY_B}/dokumen/{document_b.id}").data == PDF
    assert login_as("provinsi").get(f"/r/{REGENCY_B}/dokumen/{document_b.id}").data == PDF


def test_a_province_document_is_not_served_under_any_regency(app, user, login_as):
    document = store_document(upload("edaran.pdf", PDF), None, user("provinsi"))
    db.session.commit()
    response = login_as("admin").get(f"/r/{REGENCY_A}/dokumen/{document.id}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/r/3507/dokumen/../../etc/passwd", "/r/3507/dokumen/%2e%2e%2fsecret", "/r/3507/dokumen/1..2"],
)
def test_download_urls_take_only_a_document_number(app, login_as, path):
    assert login_as("operator_a").get(path).status_code == 404


def test_a_document_whose_file_is_gone_gets_a_clear_404_page(app, user, login_as):
    document = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    stored_path(document.storage_name).unlink()

    response = login_as("operator_a").get(f"/r/{REGENCY_A}/dokumen/{document.id}")

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Berkas tidak ditemukan" in page
    assert "sk.pdf" in page and "cadangan" in page


def test_downloading_needs_a_login(app, user, client):
    document = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    response = client.get(f"/r/{REGENCY_A}/dokumen/{document.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_sweeper_removes_only_old_unreferenced_files(app, user):
    kept = store_and_commit("sk.pdf", PDF, REGENCY_A, user("operator_a"))
    kept_path = stored_path(kept.storage_name)
    orphan = stored_path("ab" * 16)  # as left by a crash between placing and committing
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(PDF)
    young_orphan = stored_path("cd" * 16)  # an upload whose transaction may still be open
    young_orphan.parent.mkdir(parents=True)
    young_orphan.write_bytes(PDF)
    stale_temp = Path(app.config["DOCUMENTS_PATH"]) / "tmp" / "ef.part"
    stale_temp.write_bytes(b"%PDF-half")
    two_hours_ago = time.time() - 7200
    for path in (kept_path, orphan, stale_temp):
        os.utime(path, (two_hours_ago, two_hours_ago))

    removed = sweep_orphans()

    assert sorted(removed) == sorted([orphan, stale_temp])
    assert kept_path.read_bytes() == PDF and young_orphan.exists()
