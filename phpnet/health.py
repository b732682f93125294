"""``GET /healthz``: 200 when the database answers, 503 when it does not."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from phpnet.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[object, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="database tidak dapat dihubungi"), 503
    return jsonify(status="ok"), 200
