"""Modules stay small enough to read at once: none of core or of a plugin
over 400 lines (tests and migrations aside)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def test_no_source_module_is_over_400_lines():
    sources = [
        path
        for folder in ("phpnet", "plugins")
        for path in (ROOT / folder).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
