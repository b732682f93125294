"""Enums whose members carry the Indonesian label users see, shared by core
and every plugin's models and forms."""

import enum
from collections.abc import Sequence
from typing import Any


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
