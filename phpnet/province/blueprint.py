"""The province's blueprint, shared by its view modules: ``/provinsi/``,
for admin and provinsi users only."""

from flask import Blueprint

from phpnet.auth.models import Role

bp = Blueprint("province", __name__, url_prefix="/provinsi")
PROVINCE_ROLES = (Role.ADMIN, Role.PROVINSI)
