"""The bimtek plugin's blueprint and permissions, shared by its view modules."""

from flask import Blueprint

from phpnet.auth.models import Role

NAME = "bimtek"
LABEL = "Bimbingan Teknis"
VIEW = "bimtek.view"  # every role that may read the regency
EDIT = "bimtek.edit"  # plan sessions, keep participants, attendance and scores
MANAGE = "bimtek.manage"  # delete sessions, set the attendance threshold
READERS = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ANGGOTA})
MANAGERS = frozenset({Role.ADMIN, Role.OPERATOR})

bp = Blueprint(NAME, __name__, template_folder="templates")
