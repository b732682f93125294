"""The plugin face (phpnet/plugin_api.py) and the import contract that keeps
plugins to it (pyproject.toml, checked by lint-imports in ``make lint``)."""

import ast
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from phpnet import plugin_api

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _documented_names() -> dict[str, str]:
    """Name -> the docstring right after its assignment in plugin_api.py."""
    body = ast.parse((ROOT / "phpnet" / "plugin_api.py").read_text()).body
    found = {}
    for statement, following in itertools.pairwise(body):
        doc = following.value if isinstance(following, ast.Expr) else None
        if isinstance(statement, ast.Assign) and isinstance(doc, ast.Constant):
            found |= {t.id: str(doc.value) for t in statement.targets if isinstance(t, ast.Name)}
    return found


def test_every_name_of_the_face_has_a_one_line_docstring():
    documented = _documented_names()
    assert sorted(plugin_api.__all__) == sorted(documented)
    for name, doc in documented.items():
        assert doc.strip() and "\n" not in doc.strip(), name


def test_the_face_offers_nothing_it_does_not_list():
    public = {name for name in vars(plugin_api) if not name.startswith("_")}
    assert public == set(plugin_api.__all__)


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the venv's own lint-imports on a copy of the repo
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the code and the contract, to break on purpose."""
    copy = tmp_path_factory.mktemp("contract")
    for folder in ("phpnet", "plugins"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_repository_keeps_the_import_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        ("plugins/inventory/models.py", "from phpnet.timeutil import utcnow", "phpnet.timeutil"),
        ("plugins/bimtek/models.py", "import plugins.inventory.models", "plugins.inventory"),
        ("phpnet/demo.py", "import plugins.supervision", "plugins.supervision"),
    ],
    ids=["plugin imports a core internal", "plugin imports a plugin", "core names a plugin"],
)
def test_lint_imports_refuses_a_broken_contract(tree, module, line, named):
    path = tree / module
    kept = path.read_text()
    path.write_text(f"{line}  # noqa\n{kept}")
    try:
        result = _lint(tree)
    finally:
        path.write_text(kept)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and named in result.stdout
