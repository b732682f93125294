"""Region pages: the province's 38 regencies, a regency, drill-down, search."""

from typing import Any

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from phpnet.auth.models import Role
from phpnet.extensions import db
from phpnet.htmx import render
from phpnet.regions.models import Regency

bp = Blueprint("regions", __name__)


@bp.get("/")
@login_required
def home() -> Any:
    if current_user.role.is_regional:
        return redirect(url_for("regions.regency", regency=current_user.regency.slug))
    regencies = db.session.execute(db.select(Regency).order_by(Regency.code)).scalars().all()
    return render("regions/province.html", regencies=regencies, Role=Role)


@bp.get("/wilayah")
@login_required
def search() -> Any:
    return render("regions/search.html")


@bp.get("/r/<regency>/")
def regency() -> Any:
    return render("regions/regency.html")
