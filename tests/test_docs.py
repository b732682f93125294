"""docs/plugins.md stays true: every file it names exists (those of the
scaffold's module in a module freshly generated), and every name it mentions
is one of phpnet's: of the face, the hooks and their records, the test
fixtures, the templates' globals, or of the scaffold's module."""

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from phpnet import contrib, hookspecs, plugin_api, testing, testing_browser
from phpnet.kit.filters import ListFilters
from phpnet.scaffold import write_module
from phpnet.tenancy import RegencyScoped

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "plugins.md"
EXAMPLE = "catatan"  # the module the docs walk through
# Words of the docs that are not Python names of phpnet: commands, a header,
# folder and block names, terms of SQLAlchemy, Alembic, pluggy and Jinja.
OTHER_WORDS = {
    "HX-Redirect", "Markup", "None", "PluginManager", "browser", "check_pending",
    "depends_on", "branch_labels", "version_id_col", "disable", "lint-imports", "phpnet",
    "pm.subset_hook_caller", "results", "g.regency", "dashboard_top", "team_aside",
}  # fmt: skip


def _spans() -> list[str]:
    text = re.sub(r"```.*?```", "", DOCS.read_text(), flags=re.DOTALL)
    return sorted(set(re.findall(r"`([^`\n]+)`", text)))


def _is_path(span: str) -> bool:
    return (
        bool(re.fullmatch(r"[\w./-]+", span))
        and ("/" in span or re.search(r"\.(py|html|toml|css|md)$", span) is not None)
        and not span.startswith("/")
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    write_module(EXAMPLE, "Catatan Rapat", folder, set())
    return folder


def _exists(span: str, example: Path) -> bool:
    if span.startswith(f"plugins/{EXAMPLE}/"):
        return (example / span.removeprefix("plugins/")).exists()
    if span.startswith("instance/"):  # the office's own settings, never in git
        return (ROOT / "instance").is_dir()
    if "/" in span:
        return (ROOT / span).exists()
    in_repo = any(ROOT.glob(f"*/**/{span}")) or (ROOT / span).exists()
    return in_repo or any(example.rglob(span))


def test_every_file_the_docs_name_exists(example):
    missing = [span for span in _spans() if _is_path(span) and not _exists(span, example)]
    assert missing == []


def _vocabulary(app, example: Path) -> set[str]:
    words = set(plugin_api.__all__) | OTHER_WORDS
    words |= {name for name in dir(hookspecs) if name.startswith("phpnet_")}
    for name in dir(hookspecs):
        if name.startswith("phpnet_"):
            words |= set(inspect.signature(getattr(hookspecs, name)).parameters)
    for _, record in inspect.getmembers(contrib, dataclasses.is_dataclass):
        words |= {field.name for field in dataclasses.fields(record)}
    words |= set(vars(testing)) | set(vars(testing_browser)) | set(testing.WORLD_USERS)
    words |= set(app.jinja_env.globals) | set(app.jinja_env.filters) | set(app.view_functions)
    words |= {name for name in dir(ListFilters) if not name.startswith("_")}
    words |= {name for name in dir(RegencyScoped) if not name.startswith("_")}
    for path in (example / EXAMPLE).rglob("*.py"):
        text = path.read_text()
        words |= set(re.findall(r"^(?:def |class )?(\w+)", text, re.MULTILINE))
        words |= set(re.findall(r'__tablename__ = "(\w+)"', text))
    return words


def _name(span: str) -> str | None:
    """The name a span of code starts with (its callee, for a call)."""
    if _is_path(span) or (" " in span and "(" not in span):
        return None
    head = re.match(r"@?([A-Za-z_][\w.-]*)", span)
    return head.group(1).removeprefix("kit.") if head else None


def _known(name: str, words: set[str]) -> bool:
    """A name of phpnet, an importable module, or ``Owner.attribute`` with
    both known (``PluginInfo.name``, ``RecordFilters.from_url``)."""
    if name in words or _importable(name):
        return True
    owner, _, attribute = name.rpartition(".")
    return bool(owner) and _known(owner, words) and attribute in words


def test_every_name_the_docs_mention_is_phpnets(app, example):
    words = _vocabulary(app, example)
    names = {name for span in _spans() if (name := _name(span))}
    assert sorted(name for name in names if not _known(name, words)) == []


def _importable(dotted: str) -> bool:
    try:
        __import__(dotted)
    except ImportError:
        return False
    return True
