"""The coordination plugin's blueprints and permissions, shared by its view modules."""

from flask import Blueprint

from phpnet.auth.models import Role

NAME = "coordination"
PROVINCE_PATH = "rakor"
VIEW = "coordination.view"  # every role that may read the regency
EDIT = "coordination.edit"  # record meetings, minutes, decisions; close action items
MANAGE = "coordination.manage"  # confirm who attends a province meeting, delete records
READERS = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ANGGOTA})
MANAGERS = frozenset({Role.ADMIN, Role.OPERATOR})

bp = Blueprint(NAME, __name__, template_folder="templates")
province_bp = Blueprint(f"{NAME}_provinsi", __name__, template_folder="templates")
