"""The supervision plugin's blueprint and permissions, shared by its view modules."""

from flask import Blueprint

from phpnet.auth.models import Role

NAME = "supervision"
LABEL = "Supervisi & Pendampingan"
VIEW = "supervision.view"  # every role that may read the regency
EDIT = "supervision.edit"  # record activities, findings, follow-ups and documents
MANAGE = "supervision.manage"  # delete activities
READERS = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ANGGOTA})
MANAGERS = frozenset({Role.ADMIN, Role.OPERATOR})

bp = Blueprint(NAME, __name__, template_folder="templates")
