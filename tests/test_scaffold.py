"""``phpnet plugins new NAME``: the names it refuses, and the module it writes,
generated into a copy of the repository and run there: its own tests (the
browser journey included), the authorization matrix, the hardening sweeps,
the schema check, ruff and the import contract, with no line changed."""

import io
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from phpnet.scaffold import ScaffoldError, check_label, check_name

ROOT = Path(__file__).resolve().parents[1]
NAME = "catatan_rapat"
LABEL = "Catatan Rapat"
MAX_LINES = 150  # the module's own code and templates, tests and migrations aside


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Catatan", "tidak sah"),
        ("1catatan", "tidak sah"),
        ("a", "tidak sah"),
        ("catatan-rapat", "tidak sah"),
        ("class", "tidak sah"),
        ("x" * 21, "tidak sah"),
        ("inventory", "sudah dipakai"),
        ("regions", "sudah dipakai"),
    ],
)
def test_names_that_cannot_be_a_module_are_refused(tmp_path, name, problem):
    with pytest.raises(ScaffoldError, match=problem):
        check_name(name, tmp_path, {"inventory", "regions"})


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "catatan").mkdir()
    with pytest.raises(ScaffoldError, match="sudah ada"):
        check_name("catatan", tmp_path, set())


@pytest.mark.parametrize("label", ["", "x", "<b>Catatan</b>", "Catatan " * 6])
def test_labels_that_would_not_read_well_are_refused(label):
    with pytest.raises(ScaffoldError, match="tidak sah"):
        check_label(label)


def test_the_command_refuses_a_module_name_in_use(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["plugins", "new", "supervision", "--folder", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "sudah dipakai" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The repository as committed and changed now, with a new module in it."""
    tree = tmp_path_factory.mktemp("repository")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],  # noqa: S607 - the developer's git
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for name in listed:
            if (ROOT / name).is_file():
                tar.add(ROOT / name, arcname=name)
    archive.seek(0)
    with tarfile.open(fileobj=archive) as tar:
        tar.extractall(tree, filter="data")
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    _run(
        tree, "-c", "from phpnet.cli import main; main()", "plugins", "new", NAME, "--label", LABEL
    )
    return tree


# The copy's tests run on SQLite databases of their own: never on the test
# server of this run (with its xdist worker's name, they would drop its databases).
OWN_ENVIRONMENT = ("PHPNET_TEST_DATABASE_URL", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT")


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """This interpreter in ``cwd``: the copy's code comes first on its path."""
    environment = {k: v for k, v in os.environ.items() if k not in OWN_ENVIRONMENT}
    return subprocess.run(  # noqa: S603 - our own interpreter on our own copy
        [sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def _code_lines(path: Path) -> int:
    """Lines that are neither blank, nor comments, nor docstrings."""
    text = path.read_text()
    if path.suffix == ".py":
        text = re.sub(r'^\s*"""(?:.|\n)*?"""\s*$', "", text, flags=re.MULTILINE)
        text = re.sub(r"^\s*#.*$", "", text, flags=re.MULTILINE)
    return sum(1 for line in text.splitlines() if line.strip())


def test_the_new_module_is_small(copy):
    module = copy / "plugins" / NAME
    own = [
        path
        for path in module.rglob("*")
        if path.is_file() and not {"tests", "migrations"} & set(path.relative_to(module).parts)
    ]
    assert {path.suffix for path in own} == {".py", ".html"}
    assert sum(_code_lines(path) for path in own) < MAX_LINES


def test_the_new_module_passes_its_tests_the_matrix_and_the_sweeps(copy):
    result = _run(
        copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
        f"plugins/{NAME}", "tests/test_schema.py", "tests/test_authorization.py",
        "tests/hardening", "-k", f"{NAME} or schema",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    passed = int(re.search(r"(\d+) passed", result.stdout).group(1))
    assert passed > 200  # its own tests (the journey too), the matrix and sweeps over its routes


def test_the_new_module_keeps_the_style_and_the_import_contract(copy):
    for check in (["ruff", "check"], ["ruff", "format", "--check"]):
        result = _run(copy, "-m", *check, f"plugins/{NAME}")
        assert result.returncode == 0, result.stdout
    lint = subprocess.run(  # noqa: S603 - the venv's own lint-imports on our own copy
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=copy, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout
