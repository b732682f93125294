"""Answering a record's form and its deletion the one way.

A form: shown on GET, 422 with its errors, or 409 when someone saved the
record since the form was loaded (its ``version`` field against the record's
``version_id_col``), what was typed kept, so that saving again overwrites
knowingly. A deletion: a question first, then the deletion on POST."""

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import Form

from phpnet.extensions import db
from phpnet.htmx import render, render_invalid, saved

STALE = "Data ini baru saja diubah orang lain: periksa isiannya, lalu simpan lagi."


def form_answer(form: Form, template: str, record: Any = None, **context: Any) -> Response | None:
    """The response to a record form, or None when it may be saved."""
    if not form.is_submitted():
        return render(template, form=form, record=record, **context)
    if not form.validate():
        return render_invalid(template, form=form, record=record, **context)
    if record is not None and form.version.data != record.version:
        form.version.data = record.version
        form.form_errors.append(STALE)
        return render(template, status=409, form=form, record=record, **context)
    return None


def delete_answer(
    record: Any, template: str, message: str, endpoint: str, **values: Any
) -> Response:
    """Delete with confirmation: GET shows ``template`` with ``deleting=True``
    (the question and its POST button); POST deletes ``record`` and answers
    as :func:`~phpnet.htmx.saved` does (the audit log keeps what it was)."""
    if request.method == "GET":
        return render(template, record=record, deleting=True)
    db.session.delete(record)
    db.session.commit()
    return saved(message, endpoint, **values)


def sign_snapshot(values: Mapping[str, Any], purpose: str) -> str:
    """The values a user loaded into an edit form, signed (for ``purpose``)
    so that a later conflict message can trust what they saw."""
    return _serializer(purpose).dumps(dict(values))


def read_snapshot(token: str | None, purpose: str) -> dict[str, Any] | None:
    """The values :func:`sign_snapshot` signed, or None if the token is not one."""
    try:
        values = _serializer(purpose).loads(token or "")
    except BadSignature:
        return None
    return values if isinstance(values, dict) else None


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose)
