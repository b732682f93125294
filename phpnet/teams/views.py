from typing import Any

from flask import Blueprint

from phpnet.access import Access, require
from phpnet.htmx import render

bp = Blueprint("teams", __name__)


@bp.get("/r/<regency>/tim/")
@require(Access.READ)
def index() -> Any:
    return render("teams/index.html")
