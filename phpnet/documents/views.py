"""Downloading a stored document of a regency.

Whatever was uploaded, it is served so that no browser renders it as a page
of this site (security.md G5): always an attachment, a Content-Type from the
allow-list, nosniff, a sandboxing CSP and no caching."""

import logging
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, make_response, render_template, send_file

from phpnet.access import Access, require, scoped_or_404
from phpnet.documents import service
from phpnet.documents.models import Document

bp = Blueprint("documents", __name__)

log = logging.getLogger(__name__)

DOWNLOAD_SECURITY_POLICY = "sandbox; default-src 'none'"
# RFC 5987 attr-char, as Werkzeug uses it.
ATTR_CHARS = "!#$&+-.^_`|~"


def _ascii_fallback(name: str) -> str:
    """A plain-ASCII filename for old clients; the real one is in filename*."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 else "_" for ch in name)
    return fallback if fallback.strip("_. ") else service.FALLBACK_NAME


def _content_disposition(name: str) -> dict[str, str]:
    return {
        "filename": _ascii_fallback(name),
        "filename*": f"UTF-8''{quote(name, safe=ATTR_CHARS)}",
    }


def _missing_file_page(document: Document) -> Response:
    log.error("document %s: file %s is missing", document.id, document.storage_name)
    body = render_template(
        "errors/error.html",
        status=404,
        title="Berkas tidak ditemukan",
        message=(
            f"Data dokumen “{document.original_name}” ada, tetapi berkasnya tidak ditemukan "
            "di penyimpanan server. Laporkan kepada admin agar dipulihkan dari cadangan."
        ),
        incident=None,
    )
    return make_response(body, 404)


def send_document(document: Document) -> Response:
    """The download of ``document``, as every document is served: an
    attachment with an allowed Content-Type, nosniff, a sandboxing CSP and no
    caching (a page that says so if its file is missing)."""
    path = service.stored_path(document.storage_name)
    if not path.is_file():
        return _missing_file_page(document)
    response = send_file(path, mimetype=service.served_media_type(document), max_age=None)
    response.headers.set(
        "Content-Disposition", "attachment", **_content_disposition(document.original_name)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_SECURITY_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/r/<regency>/dokumen/<int:document_id>")
@require(Access.READ)
def download(document_id: int) -> Any:
    return send_document(scoped_or_404(Document, document_id))
