"""Form fields every module writes the same way: a select of database ids,
trimmed text, long text, and a list of checkboxes.

An id select's choices come from the database, set by the view
(``form.kecamatan.choices = kecamatan_choices(regency_id)``); a value that is
not a whole positive number, or not among the choices, is refused next to
its field with an Indonesian message, never a 500."""

from collections.abc import Sequence
from typing import Any

from wtforms import Field, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from phpnet.forms import strip_text

MAX_INTEGER = 2_147_483_647  # the largest id an INTEGER column holds (PostgreSQL)
LONG_TEXT_MAX = 10_000
NOT_CHOSEN = "Pilihan tidak dikenal."
Choices = Sequence[tuple[Any, str]]


def parse_id(value: Any) -> int | None:
    """A submitted id: None for the empty placeholder; ValueError for anything
    that is not a whole positive number an INTEGER column holds."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    # isascii: isdigit() alone also accepts digits such as "²" that int() refuses.
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_INTEGER:
        raise ValueError(NOT_CHOSEN)
    return int(text)


class OptionalIdField(SelectField):
    """A select of ids that may be left on its placeholder (data None);
    ``unknown`` is the sentence for an id not among the choices."""

    def __init__(
        self, label: str, validators: Any = None, *, unknown: str = NOT_CHOSEN, **kwargs: Any
    ) -> None:
        kwargs.setdefault("choices", [("", "—")])
        super().__init__(label, validators, coerce=parse_id, validate_choice=False, **kwargs)
        self.unknown = unknown

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        offered = {parse_id(value) for value, *_ in self.iter_choices() if value != ""}
        if self.data not in offered:
            raise ValidationError(self.unknown)


class IdField(OptionalIdField):
    """A select of ids that must be chosen."""

    def __init__(self, label: str, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, [DataRequired(), *(validators or [])], **kwargs)


class CheckboxListField(SelectMultipleField):
    """A list of checkboxes, one per choice (coerced to int ids by default)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("choices", [])
        super().__init__(label, validators, **kwargs)


def text_field(label: str, max_length: int, *, required: bool = False) -> StringField:
    """One line of text, trimmed, at most ``max_length`` characters."""
    validators: list[Any] = [DataRequired()] if required else []
    return StringField(label, [*validators, Length(max=max_length)], filters=[strip_text])


def long_text(label: str, max_length: int = LONG_TEXT_MAX, *, required: bool = False) -> Field:
    """A textarea, trimmed, at most ``max_length`` characters."""
    validators: list[Any] = [DataRequired()] if required else []
    return TextAreaField(label, [*validators, Length(max=max_length)], filters=[strip_text])
