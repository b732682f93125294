"""What the hardening suite needs to know about the app's forms without
naming a plugin: the fields a form posts (from its HTML), which of them take
free text, and what a response shows (an HTML page, a CSV or an XLSX file)."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Inputs a person types free text into; every other kind (select, date,
# number, hidden, checkbox, file...) carries a choice, an id or a value.
TEXT_INPUTS = {"text", "search", "email", "url", "tel", "password", "textarea"}
NOT_TEXT_VALUE = re.compile(
    r"-?\d+([.,]\d+)?"  # a number or an id
    r"|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?"  # a date
    r"|\d{2}:\d{2}(:\d{2})?"  # a time
    r"|[a-z][a-z0-9_]*"  # an enum value
    r"|"  # nothing
)


class _Forms(HTMLParser):
    """The fields of every form of a page that posts to one path, by kind."""

    def __init__(self, action_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action_path = action_path
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            targets = (values.get("action", ""), values.get("hx-post", ""))
            self._inside = any(urlsplit(t).path == self.action_path for t in targets if t)
        elif self._inside and values.get("name") and values["name"] != "csrf_token":
            kind = values.get("type", "text").lower() if tag == "input" else tag
            self.fields.setdefault(values["name"], kind)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def form_fields(html: str, action_path: str) -> dict[str, str]:
    """``{name: kind}`` of the fields the page's forms post to ``action_path``;
    kind is the input's type, or ``textarea`` / ``select``."""
    parser = _Forms(action_path)
    parser.feed(html)
    parser.close()
    return parser.fields


def takes_text(name: str, value: object, kinds: dict[str, str]) -> bool:
    """Whether field ``name`` (valid value ``value``) is free text: by its
    input kind when a page shows the form, else by its valid value."""
    if name in kinds:
        return kinds[name] in TEXT_INPUTS
    return isinstance(value, str) and not NOT_TEXT_VALUE.fullmatch(value)


def is_spreadsheet(response: object) -> bool:
    return response.headers.get("Content-Type", "").startswith(XLSX_TYPE)  # type: ignore[attr-defined]


def is_csv(response: object) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/csv")  # type: ignore[attr-defined]


def xlsx_cells(data: bytes) -> list[object]:
    """Every cell of every sheet (openpyxl, as a spreadsheet program reads it)."""
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def shown_text(response: object) -> str:
    """What a response shows a person: the page, the CSV, or the XLSX cells."""
    data = response.get_data()  # type: ignore[attr-defined]
    if is_spreadsheet(response):
        return "\n".join(str(cell.value) for cell in xlsx_cells(data) if cell.value is not None)
    if response.headers.get("Content-Type", "").startswith("text/"):  # type: ignore[attr-defined]
        return data.decode()
    return ""  # another file (a DOCX, a PDF): not read here


class _Queries(HTMLParser):
    """The query parameters a page sends to one path: the fields of its GET
    forms (filters, search, sort) and the query of its links (pages, sorting)."""

    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.seen: dict[str, set[str]] = {}
        self._inside = False
        self._select = ""  # the select whose options come next

    def _to_path(self, target: str) -> bool:
        return target == "" or target.startswith("?") or urlsplit(target).path == self.path

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            getting = values.get("method", "get").lower() == "get"
            target = values.get("hx-get", values.get("action", ""))
            self._inside = getting and self._to_path(target)
        elif self._inside and tag in ("input", "select", "textarea") and values.get("name"):
            self.seen.setdefault(values["name"], set()).add(values.get("value", ""))
            self._select = values["name"] if tag == "select" else ""
        elif self._inside and tag == "option" and self._select:
            self.seen[self._select].add(values.get("value", ""))
        for name in ("href", "hx-get"):
            link = values.get(name, "")
            if tag != "form" and "?" in link and self._to_path(link.split("?", 1)[0]):
                for key, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
                    self.seen.setdefault(key, set()).add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        if tag in ("form", "select"):
            self._select = ""


def query_parameters(html: str, path: str) -> dict[str, set[str]]:
    """``{name: values seen}`` of the query parameters the page sends to ``path``."""
    parser = _Queries(path)
    parser.feed(html)
    parser.close()
    return parser.seen
