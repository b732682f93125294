"""The injection corpus (security.md D, D-htmx, D-export, I) and the checks
that a response shows such text only as text.

Every markup payload carries the marker ``xss-probe`` where a browser would
act on it (an id, an hx- URL, a script), so the checker can tell an injected
element from the same text shown escaped inside a form field."""

import csv
import io
import json
from html.parser import HTMLParser

from markupsafe import escape

from phpnet.forms import strip_text

PROBE = "xss-probe"
BIG = "A" * 100_000

PAYLOADS: dict[str, str] = {
    "script": f'<script>alert("{PROBE}")</script>',
    "img-onerror": f'"><img src=x onerror=alert(1) id={PROBE}-img>',
    "single-quote-breaker": "'onmouseover='alert(1)",
    "javascript-url": f"javascript:alert(1)//{PROBE}",
    "textarea-breaker": "</textarea><svg onload=alert(1)>",
    "hx-get-load": f'<div hx-get="/{PROBE}" hx-trigger="load" hx-target="body">x</div>',
    "hx-post-load": f'<a hx-post="/{PROBE}" hx-trigger="load">x</a>',
    "hx-swap-oob": f'<div id="{PROBE}-oob" hx-swap-oob="true">pwned</div>',
    "hx-vals-breaker": 'x", "regency_id": "3578',
    "jinja-expression": "{{7*7}}xss",
    "jinja-raw": "{% raw %}xss{% endraw %}",
    "formula-hyperlink": '=HYPERLINK("http://evil.example","x")',
    "formula-cmd": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)",
    "formula-minus": "-2+3",
    "nul": "Nama\x00Nol",
    "rtl-override": "Budi\u202egnp.exe",
    "100kB": BIG,
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-push-url"}
# htmx attributes whose value is shown as text (a confirm dialog), not acted on.
TEXT_HX_ATTRIBUTES = {"hx-confirm", "hx-prompt"}
JSON_HX_ATTRIBUTES = {"hx-vals", "hx-headers"}


def stored_form(payload: str) -> str:
    """What a text field keeps of ``payload``: phpnet.forms.strip_text drops NUL
    and bidirectional controls and trims spaces."""
    return strip_text(payload)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, raw in attrs:
            value = raw or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            acting = name in URL_ATTRIBUTES or name == "id" or name.startswith(("hx-", "data-hx"))
            # A link may carry the text, URL-encoded, in its query (a search
            # link); hx-vals/hx-headers are checked as JSON below.
            target = value.split("?", 1)[0] if name in URL_ATTRIBUTES else value
            passive = TEXT_HX_ATTRIBUTES | JSON_HX_ATTRIBUTES
            if acting and name not in passive and PROBE in target:
                self.problems.append(f"<{tag} {name}={value[:40]!r}> from a payload")
            if name in JSON_HX_ATTRIBUTES:
                self._check_json(tag, name, value)
        if tag == "script":
            self._inline_script = not dict(attrs).get("src")
        if tag in ("svg", "math", "iframe", "object", "embed"):
            self.problems.append(f"<{tag}> element")

    def _check_json(self, tag: str, name: str, value: str) -> None:
        """User text in hx-vals must stay one JSON string (security.md D-attr)."""
        try:
            parsed = json.loads(value)
        except ValueError:
            self.problems.append(f"<{tag} {name}> is not JSON: {value[:40]!r}")
            return
        if isinstance(parsed, dict) and "regency_id" in parsed:
            self.problems.append(f"<{tag} {name}> gained a regency_id key")

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False


def markup_problems(html: str) -> list[str]:
    """Elements or attributes in ``html`` that only injected markup could make."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    problems = scanner.problems
    if "49xss" in html:
        problems.append("template syntax was evaluated")
    return problems


def assert_safe(response: object, where: str) -> str:
    """The response is not a server error and carries no injected markup."""
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, f"{where}: {status}"
    content_type = response.headers.get("Content-Type", "")  # type: ignore[attr-defined]
    if not content_type.startswith("text/"):
        return ""  # a spreadsheet or a file: checked as what it is elsewhere
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    if "html" in content_type:
        problems = markup_problems(body)
        assert not problems, f"{where}: {problems}"
    return body


def shown_escaped(body: str, text: str) -> bool:
    """``text`` appears in ``body`` as escaped text (a long value may be cut)."""
    return str(escape(text[:200])) in body


def csv_cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]


def assert_no_formula(body: str, where: str) -> None:
    for cell in csv_cells(body):
        assert not cell.startswith(FORMULA_PREFIXES), f"{where}: formula cell {cell[:40]!r}"


def assert_no_formula_in_xlsx(cells: list, where: str) -> None:
    """No cell of a spreadsheet is a formula, and text that starts like one is
    typed as text with the quote prefix (security.md D-export)."""
    for cell in cells:
        assert cell.data_type != "f", f"{where}: formula cell {cell.coordinate}"
        value = cell.value
        # A lone sign ("-" for nothing) is no formula; longer text needs the prefix.
        if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_PREFIXES):
            assert cell.data_type == "s" and cell.quotePrefix, (
                f"{where}: {cell.coordinate} {value[:40]!r} looks like a formula, no quote prefix"
            )
