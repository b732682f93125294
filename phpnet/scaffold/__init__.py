"""``phpnet plugins new NAME``: a new module that works from its first run.

The files under ``module/`` are the module, with ``${name}``, ``${label}`` and
the like in their names and text: a model and its migration branch, a form,
the list with its filters and pagination, a record, new, edit, delete with
confirmation, a print view, an XLSX export, and its tests at all three levels
(a browser journey included). It passes its tests, the authorization matrix
and the hardening sweeps as written; docs/plugins.md walks through it."""

import importlib.util
import keyword
import re
import subprocess
import sys
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).parent / "module"
SUFFIX = "-tpl"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,19}")
LABEL_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,()/-]{1,39}")


class ScaffoldError(ValueError):
    """A module that cannot be written; the message says why, in Indonesian."""


def check_name(name: str, folder: Path, taken: set[str]) -> None:
    """Refuse a name that is not a short lowercase identifier, that another
    module or a core page already uses, or whose folder exists."""
    if not NAME_PATTERN.fullmatch(name) or keyword.iskeyword(name):
        raise ScaffoldError(
            f"Nama modul “{name}” tidak sah: huruf kecil, angka dan garis bawah, diawali huruf, "
            "2 sampai 20 karakter."
        )
    if name in taken:
        raise ScaffoldError(f"Nama “{name}” sudah dipakai modul atau halaman inti phpnet.")
    if (folder / name).exists():
        raise ScaffoldError(f"Folder {folder / name} sudah ada.")


def check_label(label: str) -> None:
    """Refuse a label that would not read well in menus and code."""
    if not LABEL_PATTERN.fullmatch(label):
        raise ScaffoldError(
            f"Label “{label}” tidak sah: huruf, angka, spasi dan , ( ) / -, 2 sampai 40 karakter."
        )


def write_module(name: str, label: str, folder: Path, taken: set[str]) -> list[Path]:
    """Write module ``name`` (shown as ``label``) into ``folder/name``; return
    the files written."""
    check_name(name, folder, taken)
    check_label(label)
    words = {
        "name": name,
        "label": label,
        "label_lower": label.lower(),
        "label_upper": label.upper(),
    }
    written = []
    for source in sorted(TEMPLATE.rglob(f"*{SUFFIX}")):
        relative = Template(str(source.relative_to(TEMPLATE))).substitute(words)
        target = folder / name / relative.removesuffix(SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text()).substitute(words))
        written.append(target)
    _format(folder / name)
    return written


def _format(module: Path) -> None:
    """Lay the code out as ``ruff format`` would (``make lint`` checks it):
    a long module name makes some lines wrap. Skipped where ruff, a test
    dependency, is not installed."""
    if importlib.util.find_spec("ruff") is not None:
        command = [sys.executable, "-m", "ruff", "format", "--quiet", str(module)]
        subprocess.run(command, check=True)  # noqa: S603 - our own interpreter and folder
