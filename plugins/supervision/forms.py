"""Forms of the supervision plugin: an activity, a finding, a follow-up and
its completion, a document.

Choices that depend on the database (team members, the activity's bodies and
findings) are set by the views; an id outside them is refused next to its
field, never a 500. The bodies visited are not a WTForms field: they are
checkboxes of the region tree, read by ``bodies.read_choice``."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from phpnet.forms import Form, strip_text
from phpnet.kit.enums import enum_choices
from plugins.supervision import clock
from plugins.supervision.models import DocumentKind, Kind, Severity

MAX_INTEGER = 2_147_483_647  # the largest value an INTEGER column holds (PostgreSQL)
LONG_TEXT_MAX = 10_000
Choices = Sequence[tuple[Any, str]]


def optional_id(value: Any) -> int | None:
    """A select's value as an id; the empty placeholder is None and anything
    that is not a positive whole number an INTEGER holds is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_INTEGER:
        raise ValueError("Pilihan tidak dikenal.")
    return int(text)


def long_text(label: str, *, required: bool = False, max_length: int = LONG_TEXT_MAX) -> Any:
    validators = [DataRequired()] if required else []
    return TextAreaField(label, [*validators, Length(max=max_length)], filters=[strip_text])


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, one per choice (the team members who went)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActivityForm(Form):
    kind = SelectField(
        "Jenis kegiatan", [DataRequired()], choices=enum_choices(Kind, "— pilih —"), default=""
    )
    started_on = DateField("Tanggal mulai", [InputRequired()])
    ended_on = DateField("Tanggal selesai", [Optional()])
    purpose = long_text("Maksud dan tujuan", required=True)
    recommendations = long_text("Rekomendasi yang diberikan")
    members = MultiCheckboxField("Anggota tim yang bertugas", coerce=int, validate_choice=False)

    def set_members(self, choices: Choices) -> None:
        self.members.choices = list(choices)

    def validate_members(self, field: MultiCheckboxField) -> None:
        allowed = {value for value, _ in field.choices or []}
        if any(member not in allowed for member in field.data or []):
            raise ValidationError("Pilih anggota Tim Penyelesaian PHP kabupaten/kota ini.")

    def validate_started_on(self, field: DateField) -> None:
        if field.data is not None and field.data > clock.today():
            raise ValidationError("Kegiatan yang dicatat tidak boleh dimulai setelah hari ini.")

    def validate_ended_on(self, field: DateField) -> None:
        started: date | None = self.started_on.data
        if field.data is not None and started is not None and field.data < started:
            raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.")

    def column_values(self) -> dict[str, Any]:
        return {
            "kind": Kind(self.kind.data),
            "started_on": self.started_on.data,
            "ended_on": self.ended_on.data or self.started_on.data,
            "purpose": self.purpose.data,
            "recommendations": self.recommendations.data or None,
        }


class EditActivityForm(ActivityForm):
    """The version travels with the form: a save that finds another version
    was overtaken by someone else's save (409)."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class FindingForm(Form):
    description = long_text("Uraian temuan", required=True)
    severity = SelectField(
        "Tingkat keparahan",
        [DataRequired()],
        choices=enum_choices(Severity, "— pilih —"),
        default="",
    )
    body = SelectField("Lembaga", coerce=optional_id, validate_choice=False)

    def set_bodies(self, choices: Choices) -> None:
        self.body.choices = [("", "— seluruh kegiatan —"), *choices]

    def validate_body(self, field: SelectField) -> None:
        allowed = {value for value, _ in field.choices or [] if value != ""}
        if field.data is not None and field.data not in allowed:
            raise ValidationError("Pilih salah satu lembaga yang dikunjungi dalam kegiatan ini.")


class FollowUpForm(Form):
    action = TextAreaField(
        "Tindak lanjut yang diminta", [DataRequired(), Length(max=500)], filters=[strip_text]
    )
    finding = SelectField("Atas temuan", coerce=optional_id, validate_choice=False)
    owner = SelectField(
        "Penanggung jawab", [InputRequired()], coerce=optional_id, validate_choice=False
    )
    due_on = DateField("Tenggat", [InputRequired()])

    def set_options(self, findings: Choices, members: Choices) -> None:
        self.finding.choices = [("", "— tidak terkait temuan tertentu —"), *findings]
        self.owner.choices = [("", "— pilih anggota tim —"), *members]

    def validate_finding(self, field: SelectField) -> None:
        allowed = {value for value, _ in field.choices or [] if value != ""}
        if field.data is not None and field.data not in allowed:
            raise ValidationError("Pilih temuan kegiatan ini.")

    def validate_owner(self, field: SelectField) -> None:
        allowed = {value for value, _ in field.choices or [] if value != ""}
        if field.data is None:
            raise ValidationError("Pilih penanggung jawab dari Tim Penyelesaian PHP.")
        if field.data not in allowed:
            raise ValidationError("Pilih anggota Tim Penyelesaian PHP kabupaten/kota ini.")


class CompleteFollowUpForm(Form):
    done_on = DateField("Tanggal selesai", [InputRequired()])
    done_note = StringField("Keterangan penyelesaian", [Length(max=500)], filters=[strip_text])
    evidence_file = FileField(
        "Bukti penyelesaian", [DataRequired(message="Unggah bukti penyelesaian.")]
    )
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    def validate_done_on(self, field: DateField) -> None:
        if field.data is not None and field.data > clock.today():
            raise ValidationError("Tanggal selesai tidak boleh setelah hari ini.")


class DocumentForm(Form):
    document_file = FileField("Berkas", [DataRequired(message="Pilih berkas.")])
    kind = SelectField(
        "Jenis dokumen",
        [DataRequired()],
        choices=enum_choices(DocumentKind, "— pilih jenis dokumen —"),
        default="",
    )


class LinkForm(Form):
    """Link a finding to a record another plugin offered for the same place."""

    plugin = StringField([DataRequired(), Length(max=64)], filters=[strip_text])
    record_id = IntegerField([InputRequired()])
