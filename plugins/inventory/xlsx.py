"""A small XLSX writer for one formatted table sheet.

openpyxl's write-only mode needs about 9 seconds on the office server for the
10,000 x 28 cells of a large DIM (its pure-Python XML serialiser costs ~30 µs a
cell); this writer turns each row straight into SpreadsheetML text and needs
well under a second. It writes only what the DIM sheet uses: a title block, a
bold header with frozen panes and an autofilter, column widths, wrapped text,
dates, times and numbers, landscape A4 printing. Text is always an inline
string, never a formula, and text that a spreadsheet would read as a formula
when edited carries Excel's quote prefix (security.md D-export)."""

import enum
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from plugins.inventory.columns import FORMULA_PREFIXES

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_EXCEL_EPOCH = date(1899, 12, 30)
# Control characters XML 1.0 cannot hold (tab, line feed and carriage return can).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Style(enum.IntEnum):
    """Cell formats, in the order of cellXfs in styles.xml."""

    DEFAULT = 0
    TOP = 1
    WRAP = 2
    TOP_QUOTED = 3
    WRAP_QUOTED = 4
    DATE = 5
    TIME = 6
    TITLE = 7
    HEADER = 8


_QUOTED = {Style.TOP: Style.TOP_QUOTED, Style.WRAP: Style.WRAP_QUOTED}
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ALIGN_TOP = '<alignment vertical="top"/>'
_ALIGN_WRAP = '<alignment vertical="top" wrapText="1"/>'


def _xf(number_format: int = 0, font: int = 0, alignment: str = "", quoted: bool = False) -> str:
    """One cell format of styles.xml."""
    attributes = f'numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
    if quoted:
        attributes += ' quotePrefix="1"'
    if number_format:
        attributes += ' applyNumberFormat="1"'
    if font:
        attributes += ' applyFont="1"'
    if alignment:
        return f'<xf {attributes} applyAlignment="1">{alignment}</xf>'
    return f"<xf {attributes}/>"


_CELL_FORMATS = {
    Style.DEFAULT: _xf(),
    Style.TOP: _xf(alignment=_ALIGN_TOP),
    Style.WRAP: _xf(alignment=_ALIGN_WRAP),
    Style.TOP_QUOTED: _xf(alignment=_ALIGN_TOP, quoted=True),
    Style.WRAP_QUOTED: _xf(alignment=_ALIGN_WRAP, quoted=True),
    Style.DATE: _xf(164, alignment=_ALIGN_TOP),
    Style.TIME: _xf(165, alignment=_ALIGN_TOP),
    Style.TITLE: _xf(font=2),
    Style.HEADER: _xf(font=1, alignment='<alignment vertical="center" wrapText="1"/>'),
}
assert list(_CELL_FORMATS) == list(Style)  # cellXfs are referred to by position

_STYLES = (
    f'{_XML_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{TIME_FORMAT}"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_CELL_FORMATS)}">{"".join(_CELL_FORMATS.values())}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    f"{_XML_DECLARATION}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    f'{_XML_DECLARATION}<Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    f'{_XML_DECLARATION}<Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def column_letter(index: int) -> str:
    """The letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def clean_text(text: str) -> str:
    """Text without the control characters an XLSX file cannot hold."""
    return _ILLEGAL.sub("", text)


def _text_xml(text: str) -> str:
    # A carriage return would be read back as a line feed unless escaped.
    return escape(clean_text(text)).replace("\r", "&#13;")


@dataclass(frozen=True)
class Layout:
    sheet_name: str
    widths: Sequence[float]
    header_row: int  # 1-based: frozen below it, the autofilter starts at it


class SheetWriter:
    """Writes rows in order; :meth:`close` finishes the file."""

    def __init__(self, target: IO[bytes], layout: Layout) -> None:
        self.layout = layout
        self.letters = [column_letter(i) for i in range(len(layout.widths))]
        self.archive = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)
        self.sheet = self.archive.open("xl/worksheets/sheet1.xml", "w")
        self.row_number = 0
        self._start_sheet()

    def _write(self, text: str) -> None:
        self.sheet.write(text.encode("utf-8"))

    def _start_sheet(self) -> None:
        below = f"A{self.layout.header_row + 1}"
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(self.layout.widths, start=1)
        )
        self._write(
            f'{_XML_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{self.layout.header_row}" topLeftCell="{below}" '
            'activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{columns}</cols><sheetData>"
        )

    def _cell(self, reference: str, value: object, style: Style) -> str:
        if isinstance(value, str):
            if value.startswith(FORMULA_PREFIXES):
                style = _QUOTED.get(style, style)
            return (
                f'<c r="{reference}" s="{style}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{_text_xml(value)}</t></is></c>'
            )
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return f'<c r="{reference}" s="{Style.DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
        if isinstance(value, time):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            return f'<c r="{reference}" s="{Style.TIME}"><v>{seconds / 86400!r}</v></c>'
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"no XLSX cell for {type(value).__name__}")
        return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'

    def row(self, values: Iterable[object], styles: Sequence[Style]) -> None:
        """One row; ``styles`` gives each cell's format (dates and times take
        their own, text that looks like a formula gets the quote prefix).
        None leaves a cell empty."""
        self.row_number += 1
        number = self.row_number
        cells = "".join(
            self._cell(f"{letter}{number}", value, style)
            for letter, value, style in zip(self.letters, values, styles, strict=False)
            if value is not None
        )
        self._write(f'<row r="{number}">{cells}</row>')

    def close(self) -> None:
        last = max(self.row_number, self.layout.header_row + 1)
        table = f"A{self.layout.header_row}:{self.letters[-1]}{last}"
        self._write(
            f'</sheetData><autoFilter ref="{table}"/>'
            '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>"
        )
        self.sheet.close()
        self._write_package(table)
        self.archive.close()

    def _write_package(self, table: str) -> None:
        name = quoteattr(self.layout.sheet_name)
        quoted = "'" + self.layout.sheet_name.replace("'", "''") + "'"
        first, last = table.split(":")
        absolute = "$" + re.sub(r"(\d+)", r"$\1", first) + ":$" + re.sub(r"(\d+)", r"$\1", last)
        header = self.layout.header_row
        workbook = (
            f'{_XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            "<bookViews><workbookView/></bookViews>"
            f'<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets><definedNames>'
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{escape(quoted)}!{absolute}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
            f"{escape(quoted)}!${header}:${header}</definedName>"
            "</definedNames></workbook>"
        )
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _PACKAGE_RELS,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/styles.xml": _STYLES,
        }
        for path, text in parts.items():
            self.archive.writestr(path, text)
