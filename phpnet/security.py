"""HTTP hardening: response headers, and the rule for redirect targets."""

from urllib.parse import unquote, urlsplit

from flask import Response, abort, current_app, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict

HSTS_MAX_AGE = 365 * 24 * 3600  # one year, once the office serves phpnet over TLS
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirect).

    Only a path that starts with one slash is accepted, after turning
    backslashes into slashes the way browsers do; control characters, a
    scheme or a host are refused. The percent-decoded form must pass too, in
    case a proxy or browser decodes the Location once more."""
    if not target:
        return None
    normalised = target.replace("\\", "/")
    if not (_is_local_path(normalised) and _is_local_path(unquote(normalised))):
        return None
    return normalised


def _is_local_path(target: str) -> bool:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    target = target.replace("\\", "/")
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def neutralise_nul_bytes() -> None:
    """Before every request: no NUL byte from the URL reaches a view.

    Nobody types one, and PostgreSQL cannot compare text containing it, so a
    NUL in a search or filter parameter would end as a 500 deep inside a query
    (while SQLite quietly accepts it). In the query string it becomes U+FFFD,
    as Werkzeug already decodes any byte that is not UTF-8: views then refuse
    or ignore the value as they do any other bad input. A path with a NUL
    names nothing: 404. Form fields drop NUL themselves (``strip_text``)."""
    if "\x00" in request.path:
        abort(404)
    pairs = list(request.args.items(multi=True))
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        request.args = ImmutableMultiDict(  # type: ignore[misc] - werkzeug's cached_property
            (key.replace("\x00", "\ufffd"), value.replace("\x00", "\ufffd")) for key, value in pairs
        )


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # The old browsers' XSS auditor is switched off on purpose (OWASP): it has
    # leaked page contents and never protected a page the CSP does not.
    headers.setdefault("X-XSS-Protection", "0")
    if current_app.config.get("SESSION_COOKIE_SECURE"):  # served over TLS
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
    signed_in = current_user and current_user.is_authenticated
    # A view may have chosen a stricter value (downloads: "private, no-store").
    already_uncached = "no-store" in headers.get("Cache-Control", "")
    if signed_in and not request.path.startswith("/static/") and not already_uncached:
        headers["Cache-Control"] = "no-store"
    return response
