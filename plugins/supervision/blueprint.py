"""The supervision plugin's blueprint and its permissions, declared once:
every view names the one it needs with ``@requires``, from which core
learns them."""

from flask import Blueprint

from phpnet.plugin_api import EDITORS, MANAGERS, READERS, Permission

NAME = "supervision"
LABEL = "Supervisi & Pendampingan"

VIEW = Permission(f"{NAME}.view", "Melihat kegiatan supervisi dan pendampingan", READERS)
EDIT = Permission(
    f"{NAME}.edit", "Mencatat kegiatan, temuan, tindak lanjut dan dokumennya", EDITORS
)
MANAGE = Permission(f"{NAME}.manage", "Menghapus kegiatan supervisi dan pendampingan", MANAGERS)

bp = Blueprint(NAME, __name__, template_folder="templates")
