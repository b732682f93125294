"""What the DIM list is narrowed and ordered by, read from its URL: one
contract for the list, its export, its print view and the province's links.

A value that makes no sense is shown back next to its filter with why, and
the list is filtered by the others. Defaults (newest first, 25 rows) stay out
of the URL, so shared links stay short."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from flask import g, request
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from phpnet.plugin_api import (
    DateFilter,
    EnumFilter,
    IdFilter,
    LabelledEnum,
    ListFilters,
    SearchFilter,
    check_range,
    is_htmx,
)
from plugins.inventory import list_options
from plugins.inventory.models import Race, Stage, Status

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]
MAX_QUERY_LENGTH = 100
# The select that htmx reports as changed makes the ones below it stale.
STALE_BELOW = {"kecamatan_id": ("desa_id", "tps_id"), "desa_id": ("tps_id",)}


class Sort(LabelledEnum):
    """The list's sort keys, each a column header of the table."""

    OCCURRED_AT = "occurred_at", "Waktu"
    LOCATION = "location", "Lokasi"
    RACE = "race", "Pemilihan"
    STAGE = "stage", "Tahapan"
    CATEGORY = "category", "Kategori"
    STATUS = "status", "Status"
    PERSON = "person", "Penanggung jawab"
    EVIDENCE = "evidence", "Bukti"


class Direction(LabelledEnum):
    ASC = "asc", "Naik"
    DESC = "desc", "Turun"


DEFAULT_SORT = Sort.OCCURRED_AT
DEFAULT_DIRECTION = Direction.DESC
# Sort keys whose natural first click is newest or largest first.
DESCENDING_FIRST = frozenset({Sort.OCCURRED_AT, Sort.EVIDENCE})


def _page_size(value: Any) -> int | None:
    """The largest offered page size not above ``value`` (at least the
    smallest); None for the default, which the URL leaves out."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    fitting = [size for size in PER_PAGE_CHOICES if size <= int(text)] or [DEFAULT_PER_PAGE]
    return None if fitting[-1] == DEFAULT_PER_PAGE else fitting[-1]


class PageSizeFilter(SelectField):
    """How many rows a page shows: one of PER_PAGE_CHOICES."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        choices = [("", str(DEFAULT_PER_PAGE))] + [(n, str(n)) for n in PER_PAGE_CHOICES[1:]]
        super().__init__(label, choices=choices, coerce=_page_size, **kwargs)


SEARCH_ATTRS = {
    "type": "search",
    "maxlength": str(MAX_QUERY_LENGTH),
    "autocomplete": "off",
    "hx-trigger": "input changed delay:300ms, search",
}


class EntryFilters(ListFilters):
    """The filters of the DIM list. Field names are the URL arguments, so
    ``url_for("inventory.index", **filters.query_args())`` rebuilds the view."""

    stage = EnumFilter(Stage, "Tahapan", id="filter-stage")
    category_id = IdFilter("Kategori", id="filter-category")
    status = EnumFilter(Status, "Status", id="filter-status")
    race = EnumFilter(Race, "Jenis pemilihan", id="filter-race")
    kecamatan_id = IdFilter("Kecamatan", id="filter-kecamatan")
    desa_id = IdFilter("Desa/kelurahan", id="filter-desa")
    tps_id = IdFilter("TPS", id="filter-tps")
    date_from = DateFilter("Tanggal kejadian dari", id="filter-date-from")
    date_to = DateFilter("Tanggal kejadian sampai", id="filter-date-to")
    person_id = IdFilter("Penanggung jawab", id="filter-person")
    q = SearchFilter("Cari di DIM", MAX_QUERY_LENGTH, id="filter-q", render_kw=SEARCH_ATTRS)
    sort = EnumFilter(Sort, "Urutan")
    direction = EnumFilter(Direction, "Arah urutan")
    per_page = PageSizeFilter("Baris per halaman", id="filter-per-page")

    def __init__(self, formdata: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(_without_stale_places(formdata), **kwargs)

    def filter_q(self, value: str | None) -> str | None:
        """Words as typed, however spaced (a double space finds one)."""
        return " ".join(value.split()) if value else value

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the values; the desa and TPS offered are those of the
        kecamatan and desa chosen, so one outside them is named and ignored."""
        self.desa_id.choices = list_options.desa_choices(self.kecamatan_id.data, self.desa_id.data)
        offered_desa = {value for value, _ in self.desa_id.choices}
        desa_id = self.desa_id.data if self.desa_id.data in offered_desa else None
        self.tps_id.choices = list_options.tps_choices(desa_id, self.tps_id.data)
        valid = super().validate(extra_validators)
        check_range(self.date_from, self.date_to)
        return valid and not self.date_to.errors

    @cached_property
    def values(self) -> dict[str, Any]:  # type: ignore[override]
        """The valid values by field name, read once: the list asks for them
        for every link and column header (from_url has validated by then)."""
        return super().values

    def refreshing(self, url: str) -> "EntryFilters":
        """Each control asks ``url`` for the results when it changes (htmx)."""
        for control in self:
            control.render_kw = {**(control.render_kw or {}), "hx-get": url}
        return self

    @property
    def is_filtered(self) -> bool:
        """Whether a filter or the search narrows the list (an order or a
        page size does not)."""
        ordering = {"sort", "direction", "per_page"}
        return any(v not in (None, "") for k, v in self.values.items() if k not in ordering)

    @property
    def sort_key(self) -> Sort:
        return self.values["sort"] or DEFAULT_SORT

    @property
    def descending(self) -> bool:
        return (self.values["direction"] or DEFAULT_DIRECTION) is Direction.DESC

    @property
    def rows_per_page(self) -> int:
        return self.values["per_page"] or DEFAULT_PER_PAGE

    def ordered_by(self, sort: Sort, direction: Direction) -> dict[str, str]:
        """The URL arguments of this list in another order, from its first page."""
        return self.query_args(
            sort=None if sort is DEFAULT_SORT else sort,
            direction=None if direction is DEFAULT_DIRECTION else direction,
            page=1,
        )

    def next_direction(self, sort: Sort) -> Direction:
        """A click on a column header: the current column reverses, another
        starts in its natural direction."""
        if sort is self.sort_key:
            return Direction.ASC if self.descending else Direction.DESC
        return Direction.DESC if sort in DESCENDING_FIRST else Direction.ASC


def _without_stale_places(formdata: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """When htmx reports that the kecamatan (or desa) select changed, the
    desa and TPS still in the form belong to the old choice: drop them."""
    changed = request.headers.get("HX-Trigger-Name") if formdata and is_htmx() else None
    if changed not in STALE_BELOW:
        return formdata
    kept = MultiDict(formdata)
    for name in STALE_BELOW[changed]:
        kept.pop(name, None)
    return kept


def read_filters() -> EntryFilters:
    """The list's filters in this request's URL, each select checked against
    what it offers (the list, its export and its print view read the same)."""
    return EntryFilters.from_url(**list_options.always_offered(g.regency.id))
