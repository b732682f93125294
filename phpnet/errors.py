"""Error pages in Indonesian, and what htmx gets instead of a page it cannot use."""

import logging
import uuid
from typing import Any

from flask import Flask, Response, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from phpnet.extensions import login_manager
from phpnet.forms import INDONESIAN
from phpnet.htmx import add_vary, is_htmx
from phpnet.security import neutralise_nul_bytes, safe_next

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Permintaan tidak sah", "Permintaan tidak dapat diproses."),
    403: ("Akses ditolak", "Anda tidak berwenang melakukan tindakan ini."),
    404: ("Halaman tidak ditemukan", "Halaman atau data yang Anda cari tidak ada."),
    405: ("Metode tidak diizinkan", "Alamat ini tidak menerima permintaan seperti itu."),
    413: ("Berkas terlalu besar", "Ukuran berkas atau formulir melebihi batas."),
    422: ("Isian tidak sah", "Periksa kembali isian formulir."),
    429: ("Terlalu banyak permintaan", "Tunggu sebentar, lalu coba lagi."),
    500: (
        "Terjadi kesalahan",
        "Terjadi kesalahan pada server. Laporkan kode insiden kepada admin.",
    ),
}


def _page(status: int, detail: str | None = None, incident: str | None = None) -> Response:
    title, message = MESSAGES.get(status, MESSAGES[400])
    body = render_template(
        "errors/error.html",
        status=status,
        title=title,
        message=detail or message,
        incident=incident,
    )
    return make_response(body, status)


def _http_error(error: HTTPException) -> Response:
    return _page(error.code or 500)


def _csrf_error(error: CSRFError) -> Response:
    if is_htmx():
        response = make_response("", 400)
        response.headers["HX-Refresh"] = "true"  # reload the page: it gets a fresh token
        return response
    return _page(400, INDONESIAN.get(error.description, MESSAGES[400][1]))


def _server_error(error: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    log.exception("incident %s", incident, exc_info=error)
    return _page(500, incident=incident)


def unauthorized() -> Any:
    """Flask-Login's handler: htmx gets HX-Redirect (it would otherwise follow
    the redirect and swap the login page into a card); others get a redirect."""
    if is_htmx():
        current = request.headers.get("HX-Current-URL", "")
        path = current.split("://", 1)[-1].partition("/")[2] if "://" in current else ""
        target = url_for("auth.login", next=safe_next("/" + path) if path else None)
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def install(app: Flask) -> None:
    # First of the app's request hooks, so no view or regency lookup ever
    # reads a NUL byte from the URL (a path with one gets the 404 page below).
    app.before_request_funcs.setdefault(None, []).insert(0, neutralise_nul_bytes)
    login_manager.unauthorized_handler(unauthorized)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
    app.after_request(add_vary)
