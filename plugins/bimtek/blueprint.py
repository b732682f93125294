"""The bimtek plugin's blueprint and permissions, declared once here and
named by every view with ``@requires``; the small helpers its views share."""

from flask import Blueprint

from phpnet.plugin_api import (
    EDITORS,
    MANAGERS,
    READERS,
    Permission,
    scoped_or_404,
)
from plugins.bimtek.models import Session

NAME = "bimtek"
LABEL = "Bimbingan Teknis"
VIEW = Permission("bimtek.view", "Melihat bimtek", READERS)
EDIT = Permission(
    "bimtek.edit", "Merencanakan bimtek, mencatat peserta, kehadiran dan nilai", EDITORS
)
MANAGE = Permission("bimtek.manage", "Menghapus bimtek dan mengatur ambang kehadiran", MANAGERS)

bp = Blueprint(NAME, __name__, template_folder="templates")


def session_or_404(session_id: int) -> Session:
    return scoped_or_404(Session, session_id)
