from typing import Any

from flask import Blueprint

from phpnet.access import roles_required
from phpnet.auth.models import Role
from phpnet.htmx import render

bp = Blueprint("users", __name__)


@bp.get("/admin/pengguna")
@roles_required(Role.ADMIN)
def index() -> Any:
    return render("users/index.html")
