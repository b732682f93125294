"""Serving a stored document of a province meeting (its invitation letter has
no regency, so core's regency download route cannot serve it) with the same
safeguards as core: always an attachment, a Content-Type from the allow-list,
nosniff, a sandboxing CSP and no caching."""

from urllib.parse import quote

from flask import Response, abort, send_file

from phpnet.documents import service
from phpnet.documents.models import Document

ATTR_CHARS = "!#$&+-.^_`|~"


def send(document: Document | None) -> Response:
    if document is None:
        abort(404)
    path = service.stored_path(document.storage_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=service.served_media_type(document), max_age=None)
    fallback = "".join(ch if 32 <= ord(ch) < 127 else "_" for ch in document.original_name)
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=(fallback.strip("_. ") and fallback) or service.FALLBACK_NAME,
        **{"filename*": f"UTF-8''{quote(document.original_name, safe=ATTR_CHARS)}"},
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response
