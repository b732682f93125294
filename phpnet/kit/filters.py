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


class EnumFilter(SelectField):
    """A filter on one member of ``enum_cls`` (its value in the URL)."""

    def __init__(self, enum_cls: type[LabelledEnum], label: str, **kwargs: Any) -> None:
        self.enum_cls = enum_cls
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


class IdFilter(OptionalIdField):
    """A filter on one row of a select the view fills (``from_url(name=...)``)."""

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


class DateFilter(DateField):
    """A filter on a date (tttt-bb-hh)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, [Optional()], **kwargs)


class SearchFilter(StringField):
    """Words to look for, trimmed, at most ``max_length`` characters."""

    def __init__(self, label: str, max_length: int = 100, **kwargs: Any) -> None:
        super().__init__(label, [Length(max=max_length)], filters=[strip_text], **kwargs)


def check_range(start: Field, end: Field) -> None:
    """Refuse a range whose end comes before its start, next to the end."""
    if start.data and end.data and not start.errors and not end.errors and start.data > end.data:
        end.errors = [*end.errors, "Tanggal akhir sebelum tanggal awal: tidak ada yang cocok."]
