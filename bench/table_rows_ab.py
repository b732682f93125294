"""A/B of the DIM table's rows: a Jinja macro (A) against
plugins.inventory.list_rows.TableRows, which writes them as HTML in Python
(B), in one process, interleaved (its docstring quotes this script's numbers).

    .venv/bin/python bench/table_rows_ab.py [--entries 5000] [-n 50] [--rounds 20]

Serves the bench dataset's DIM list of Kab. Malang (status belum, 50 per
page, as bench/run) through the Flask test client, logged in as its
operator: the full page and the htmx fragment of a stage change, ``n``
requests per variant per round, the variants alternating A B, B A. The macro
is the best one tried: URLs built once per page (RowUrl), the CSRF token
asked for once, locals bound per row, one macro call for all rows. Prints ms
per request (wall and process CPU time: the machine is shared, and CPU time
is less disturbed by other processes), median and best of the rounds, and
the B/A ratio of each round."""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate  # noqa: E402 - bench/ is not a package

# The rows as a Jinja macro, the same HTML as TableRows.
MACRO = BENCH / "templates" / "table_rows_ab.html"


def template_rows(table_rows_class: Any, app: Any) -> Any:
    """A stand-in for TableRows that renders MACRO (compiled once) instead."""
    from flask_wtf.csrf import generate_csrf

    from plugins.inventory.list_rows import STATUS_BADGES
    from plugins.inventory.models import Status

    macros = app.jinja_env.from_string(MACRO.read_text()).module

    class TemplateRows(table_rows_class):  # type: ignore[misc, valid-type]
        def __call__(self, rows: list[Any], notice: Any = None, error: Any = None) -> Any:
            token = generate_csrf() if self.can_edit else ""
            return macros.entry_rows(
                rows, self.can_edit, self.entry_url, self.status_url, token, list(Status),
                STATUS_BADGES, notice, error,
            )  # fmt: skip

    return TemplateRows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ["PHPNET_INSTANCE_PATH"] = str(generate.generate(args.entries))
    import wsgi_bench
    from plugins.inventory import list_rows, views_list

    variants = {"A": template_rows(list_rows.TableRows, wsgi_bench.app), "B": list_rows.TableRows}
    client = wsgi_bench.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    login = {"csrf_token": token, "username": generate.OPERATOR, "password": generate.PASSWORD}
    assert client.post("/login", data=login).status_code in (302, 303)
    path = f"/r/{generate.BENCH_REGENCY}/inventory/?status=belum&per_page=50"
    targets = {
        "page": {},
        "fragment": {"HX-Request": "true", "HX-Trigger-Name": "stage"},
    }
    rows = re.compile(r'<tr id="entry-\d+">')
    shown = {}
    for name, variant in variants.items():  # warm up both; they show the same rows
        views_list.TableRows = variant
        for target, headers in targets.items():
            body = client.get(path, headers=headers).get_data(as_text=True)
            shown[(name, target)] = rows.findall(body)
            assert len(shown[(name, target)]) == 50, name
    assert shown[("A", "page")] == shown[("B", "page")]
    wall: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.rounds):
        order = ("A", "B") if round_number % 2 == 0 else ("B", "A")
        for name in order:
            views_list.TableRows = variants[name]
            for target, headers in targets.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                for _ in range(args.n):
                    client.get(path, headers=headers)
                wall.setdefault((target, name), []).append(
                    (time.perf_counter() - started) / args.n * 1000
                )
                cpu.setdefault((target, name), []).append(
                    (time.process_time() - started_cpu) / args.n * 1000
                )
    views_list.TableRows = variants["B"]
    for target in targets:
        for kind, times in (("wall", wall), ("cpu", cpu)):
            a, b = times[(target, "A")], times[(target, "B")]
            print(
                f"{target} {kind}: A (macro) median {statistics.median(a):.2f} ms "
                f"min {min(a):.2f}; B (TableRows) median {statistics.median(b):.2f} ms "
                f"min {min(b):.2f}; B/A median {statistics.median(b) / statistics.median(a):.3f}"
            )
        a, b = cpu[(target, "A")], cpu[(target, "B")]
        pairs = [round(y / x, 3) for x, y in zip(a, b, strict=True)]
        print(f"{target} cpu B/A per round: {pairs}")


if __name__ == "__main__":
    main()
