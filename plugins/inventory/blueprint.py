"""The inventory's blueprint and permissions, shared by its view modules."""

from flask import Blueprint

from phpnet.auth.models import Role

NAME = "inventory"
VIEW = "inventory.view"  # every role that may read the regency
EDIT = "inventory.edit"  # record and change entries, upload evidence
MANAGE = "inventory.manage"  # delete and restore entries, extend the category list
READERS = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ANGGOTA})
MANAGERS = frozenset({Role.ADMIN, Role.OPERATOR})

bp = Blueprint(NAME, __name__, template_folder="templates")
