"""htmx conventions: one URL serves a full page or a fragment of it.

A request is partial when htmx sent it and it is not a history restore (the
back button needs the whole page). Fragments are blocks of the page template,
rendered with jinja2-fragments, so a page and its fragments never drift."""

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_partial() -> bool:
    """htmx asked for a fragment (and not for a page to restore history)."""
    return is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"


def render(
    template: str, block: str | None = "content", status: int = 200, **context: Any
) -> Response:
    """Render ``template`` whole, or only ``block`` of it for an htmx request.
    ``block=None``: always whole (a print view is a document of its own)."""
    if is_partial() and block is not None:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    return make_response(body, status)


def render_invalid(template: str, block: str = "content", **context: Any) -> Response:
    """A form that failed validation: 422, with the errors next to the fields."""
    return render(template, block, status=422, **context)


def done(endpoint: str, fragment: str | None = None, **values: Any) -> Response:
    """After a successful mutation: htmx gets ``fragment`` (or an empty 200 whose
    HX-Redirect loads the page whole); a plain form post gets 303 (post/redirect/get)."""
    target = url_for(endpoint, **values)
    if is_htmx():
        if fragment is not None:
            return make_response(fragment, 200)
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target  # a whole page, never a block in <body>
        return response
    return redirect(target, 303)


def saved(
    message: str | None,
    endpoint: str,
    *,
    template: str | None = None,
    block: str | None = None,
    context: Callable[[], Mapping[str, Any]] | None = None,
    **values: Any,
) -> Response:
    """After a successful change. Under htmx, with ``block``: that block of
    ``template`` re-rendered with ``context()`` and ``notice=message``; under
    htmx without one, the page of ``endpoint`` loaded whole. A plain form
    post: ``message`` flashed, then 303 to ``endpoint`` (post/redirect/get)."""
    if is_htmx() and block is not None and template is not None:
        extra = context() if context is not None else {}
        return make_response(render_block(template, block, notice=message, **extra), 200)
    if message:
        flash(message, "success")
    return done(endpoint, **values)


def add_vary(response: Response) -> Response:
    """After-request: caches must keep pages and fragments apart."""
    response.vary.add("HX-Request")
    return response
