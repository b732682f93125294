"""The coordination plugin's blueprints, its permissions (declared once, here)
and the documents it accepts, shared by its view modules."""

from flask import Blueprint

from phpnet.plugin_api import EDITORS, MANAGERS, READERS, Permission, allowed_hint

NAME = "coordination"
PROVINCE_PATH = "rakor"
VIEW = Permission(f"{NAME}.view", "Melihat rapat koordinasi", READERS)
EDIT = Permission(f"{NAME}.edit", "Mencatat rapat, notulen, keputusan dan tindak lanjut", EDITORS)
MANAGE = Permission(f"{NAME}.manage", "Mengonfirmasi peserta rakor provinsi", MANAGERS)
# An invitation letter or the evidence that an action item is done.
DOCUMENT_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})

bp = Blueprint(NAME, __name__, template_folder="templates")
province_bp = Blueprint(f"{NAME}_provinsi", __name__, template_folder="templates")


def document_hint() -> str:
    """The sentence under an upload field: which documents, how large."""
    return allowed_hint(DOCUMENT_KINDS)
