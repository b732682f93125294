from typing import Any

from flask import Blueprint

from phpnet.access import roles_required
from phpnet.auth.models import Role
from phpnet.htmx import render

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@roles_required(Role.ADMIN, Role.PROVINSI)
def province_log() -> Any:
    return render("audit/province.html")


@bp.get("/r/<regency>/audit")
def regency_log() -> Any:
    return render("audit/regency.html")
