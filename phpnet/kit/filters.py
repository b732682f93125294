"""List filters bound to the URL: a GET form read from the query string, so a
filtered list is a link that can be bookmarked and shared.

A value that makes no sense (an unknown status, a date that is not one, an
id that is not a number) is shown back in its field with its message, and
the list is filtered by the other values; it is never a 500. Pages, sort
links and exports rebuild the URL with :meth:`ListFilters.query_args`."""

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any, Self

from flask import request
from sqlalchemy import ColumnElement, Select
from wtforms import DateField, Field, Form, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from phpnet.forms import IndonesianTranslations, strip_text
from phpnet.kit.enums import LabelledEnum, enum_choices
from phpnet.kit.fields import OptionalIdField

MAX_PAGE = 100_000
ALL = "Semua"


class ListFilters(Form):
    """Base of a list's filters: declare fields (``EnumFilter``,
    ``IdFilter``, ``DateFilter``, ``SearchFilter``), then read them with
    ``Filters.from_url()``; ``values`` holds the valid ones, by field name."""

    class Meta:
        def get_translations(self, form: Any) -> IndonesianTranslations:
            return IndonesianTranslations()

    def __init__(self, formdata: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(formdata, **kwargs)
        self.page = _page_number(formdata.get("page", "") if formdata else "")

    @classmethod
    def from_url(cls, **choices: Any) -> Self:
        """The filters in this request's query string; ``choices`` fill the
        id selects by field name (``kecamatan_id=[(3, "Kepanjen"), ...]``)."""
        filters = cls(request.args)
        for name, options in choices.items():
            filters[name].choices = [("", ALL), *options]
        filters.validate()
        return filters

    @property
    def values(self) -> dict[str, Any]:
        """Field name -> its value, None where empty or refused."""
        return {field.name: None if field.errors else field.data for field in self}

    @property
    def problems(self) -> list[str]:
        """One sentence per refused value, naming its filter."""
        return [f"{field.label.text}: {error}" for field in self for error in field.errors]

    def query_args(self, **changes: Any) -> dict[str, str]:
        """The URL arguments of the valid values and the page, with
        ``changes``; empty values and page 1 are left out, so links stay short."""
        values: dict[str, Any] = {**self.values, "page": self.page, **changes}
        return {
            name: _url_text(value)
            for name, value in values.items()
            if value not in (None, "") and not (name == "page" and value == 1)
        }

    @property
    def is_filtered(self) -> bool:
        """Whether any valid value narrows the list."""
        return any(value not in (None, "") for value in self.values.values())

    def apply(self, statement: Select[Any]) -> Select[Any]:
        """``statement`` narrowed by every valid value of a filter declared
        with a ``column`` (the others are the view's to apply)."""
        for field in self:
            value = None if field.errors else field.data
            column = getattr(field, "column", None)
            if column is not None and value not in (None, ""):
                statement = statement.where(field.condition(column, value))
        return statement


def _page_number(raw: str) -> int:
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_PAGE:
        return int(text)
    return 1


def _url_text(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ColumnFilter:
    """A filter that narrows a list by itself when given the ``column`` it is
    about (``ListFilters.apply``): equal to the chosen value."""

    column: Any = None

    def condition(self, column: Any, value: Any) -> ColumnElement[bool]:
        return column == value


class EnumFilter(ColumnFilter, SelectField):
    """A filter on one member of ``enum_cls`` (its value in the URL)."""

    def __init__(
        self, enum_cls: type[LabelledEnum], label: str, column: Any = None, **kwargs: Any
    ) -> None:
        self.enum_cls, self.column = enum_cls, column
        super().__init__(label, choices=enum_choices(enum_cls, ALL), coerce=self._member, **kwargs)

    def _member(self, value: Any) -> LabelledEnum | None:
        if value is None or value == "":
            return None
        return self.enum_cls(value)

    def pre_validate(self, form: Form) -> None:
        """Nothing more to check: an unknown value was refused while read."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"“{str(valuelist[0])[:40]}” tidak dikenal.") from None


class IdFilter(ColumnFilter, OptionalIdField):
    """A filter on one row of a select the view fills (``from_url(name=...)``)."""

    def __init__(self, label: str, column: Any = None, **kwargs: Any) -> None:
        self.column = column
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:  # not an id at all: named like an id not offered
            self.data = None
            raise ValueError(f"“{str(valuelist[0])[:40]}” tidak dikenal.") from None

    def pre_validate(self, form: Form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(f"“{self.data}” tidak dikenal.") from None


class DateFilter(ColumnFilter, DateField):
    """A filter on a date (tttt-bb-hh); with a ``column``, the rows on or
    after it (``until=True``: on or before it)."""

    def __init__(self, label: str, column: Any = None, until: bool = False, **kwargs: Any) -> None:
        self.column, self.until = column, until
        super().__init__(label, [Optional()], **kwargs)

    def condition(self, column: Any, value: Any) -> ColumnElement[bool]:
        return column <= value if self.until else column >= value


class SearchFilter(ColumnFilter, StringField):
    """Words to look for, trimmed, at most ``max_length`` characters; with a
    ``column``, the rows whose text contains them (any case)."""

    def __init__(
        self, label: str, column: Any = None, max_length: int = 100, **kwargs: Any
    ) -> None:
        self.column = column
        super().__init__(label, [Length(max=max_length)], filters=[strip_text], **kwargs)

    def condition(self, column: Any, value: Any) -> ColumnElement[bool]:
        return column.icontains(value, autoescape=True)


def check_range(start: Field, end: Field) -> None:
    """Refuse a range whose end comes before its start, next to the end."""
    if start.data and end.data and not start.errors and not end.errors and start.data > end.data:
        end.errors = [*end.errors, "Tanggal akhir sebelum tanggal awal: tidak ada yang cocok."]
