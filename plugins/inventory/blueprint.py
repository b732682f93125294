"""The inventory's blueprint and its permissions, declared once: the views
mark themselves with these objects (``@requires(VIEW, POST=MANAGE)``), from
which core learns them."""

from flask import Blueprint, g
from flask_login import current_user

from phpnet.plugin_api import (
    EDITORS,
    MANAGERS,
    MAX_INTEGER,
    READERS,
    Permission,
    User,
    has_permission,
)

NAME = "inventory"
VIEW = Permission(f"{NAME}.view", "Melihat DIM", READERS)
EDIT = Permission(f"{NAME}.edit", "Mencatat dan mengubah entri DIM", EDITORS)
MANAGE = Permission(
    f"{NAME}.manage", "Menghapus, memulihkan entri dan mengelola kategori DIM", MANAGERS
)

# Ids in URLs beyond what the database can hold are unknown (404), never an error.
ENTRY = f"<int(max={MAX_INTEGER}):entry_id>"
EVIDENCE = f"<int(max={MAX_INTEGER}):evidence_id>"
CATEGORY = f"<int(max={MAX_INTEGER}):category_id>"

bp = Blueprint(NAME, __name__, template_folder="templates")


def may(permission: Permission) -> bool:
    """Whether the current user holds ``permission`` in this regency (to show
    or hide a control; the views themselves are guarded by their marks)."""
    return has_permission(current_user, g.regency, permission)


def account() -> User:
    """The logged-in user as a model (not Flask-Login's proxy)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]
