"""Enums whose members carry the Indonesian label users see, their select
choices, and the one way such an enum is stored in a column."""

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Enum
from sqlalchemy.orm import MappedColumn, mapped_column


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry the Indonesian label shown to users."""

    label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def enum_choices(
    enum_type: type[LabelledEnum], placeholder: str | None = None
) -> Sequence[tuple[Any, str]]:
    """A select's choices: every member by label, after an empty ``placeholder``."""
    choices = [(member.value, member.label) for member in enum_type]
    return [("", placeholder), *choices] if placeholder else choices


def enum_type(enum_cls: type[enum.Enum], length: int = 32) -> Enum:
    """The column type of ``enum_cls``: its values as text (no database enum
    type, so adding a member needs no migration of the type)."""
    return Enum(
        enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def enum_column(enum_cls: type[enum.Enum], length: int = 32, **options: Any) -> MappedColumn[Any]:
    """``mapped_column`` for an enum stored by :func:`enum_type`."""
    return mapped_column(enum_type(enum_cls, length), **options)
