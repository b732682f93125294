"""Forms of the coordination plugin. Choices that come from the database (team
members, agenda items, regencies, places) are filled in by the views; an id
outside them gets a message next to the field, never a 500."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from phpnet.forms import Form, strip_text
from phpnet.kit.enums import enum_choices
from plugins.coordination.models import ActionStatus, Body, MeetingStatus

MAX_INTEGER = 2_147_483_647  # the largest value an INTEGER column holds (PostgreSQL)
LONG_TEXT_MAX = 20_000
Choices = Sequence[tuple[Any, str]]


def optional_id(value: Any) -> int | None:
    """A select's value as an id: the empty placeholder is None, anything that
    is not a positive whole number within INTEGER is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_INTEGER:
        raise ValueError("not an id")
    return int(text)


def text_field(label: str, max_length: int, *, required: bool = False) -> StringField:
    validators = [DataRequired()] if required else []
    return StringField(label, [*validators, Length(max=max_length)], filters=[strip_text])


def long_text(label: str, max_length: int = LONG_TEXT_MAX, *, required: bool = False) -> Any:
    validators = [DataRequired()] if required else []
    return TextAreaField(label, [*validators, Length(max=max_length)], filters=[strip_text])


class CheckboxListField(SelectMultipleField):
    """A list of checkboxes (each with its own label) instead of a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(Form):
    """Title, date and time, venue and invitation letter of a meeting."""

    title = text_field("Judul rapat", 300, required=True)
    held_on = DateField("Tanggal rapat", [InputRequired()])
    starts_at = TimeField("Jam mulai (WIB)", [InputRequired()])
    ends_at = TimeField("Jam selesai (WIB)", [Optional()])
    venue = text_field("Tempat", 300, required=True)
    status = SelectField(
        "Status", choices=enum_choices(MeetingStatus), default=MeetingStatus.SCHEDULED.value
    )
    invitation_number = text_field("Nomor surat undangan", 120)
    invitation_date = DateField("Tanggal surat undangan", [Optional()])
    invitation_file = FileField("Berkas surat undangan")
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def validate_ends_at(self, field: TimeField) -> None:
        if field.data is not None and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError("Jam selesai harus setelah jam mulai.")

    def validate_invitation_date(self, field: DateField) -> None:
        held_on: date | None = self.held_on.data
        if field.data is not None and held_on is not None and field.data > held_on:
            raise ValidationError("Tanggal surat undangan tidak boleh setelah tanggal rapat.")

    def column_values(self) -> dict[str, Any]:
        return {
            "title": self.title.data,
            "held_on": self.held_on.data,
            "starts_at": self.starts_at.data.strftime("%H:%M"),
            "ends_at": self.ends_at.data.strftime("%H:%M") if self.ends_at.data else None,
            "venue": self.venue.data,
            "status": MeetingStatus(self.status.data),
            "invitation_number": self.invitation_number.data or None,
            "invitation_date": self.invitation_date.data,
        }


class ProvinceMeetingForm(MeetingForm):
    """A province meeting also names the regencies invited and the positions
    each should send."""

    invite_all = BooleanField("Undang semua 38 KPU kabupaten/kota")
    regencies = CheckboxListField("KPU kabupaten/kota yang diundang", coerce=int, choices=[])
    positions = CheckboxListField("Jabatan yang diharapkan hadir", choices=[])
    other_positions = long_text("Jabatan lain (satu per baris)", 2000)

    def validate_regencies(self, field: CheckboxListField) -> None:
        if not self.invite_all.data and not field.data:
            raise ValidationError("Pilih KPU kabupaten/kota yang diundang, atau undang semuanya.")

    def expected_positions(self) -> str | None:
        lines = [*self.positions.data, *(self.other_positions.data or "").splitlines()]
        cleaned = [line.strip() for line in lines if line.strip()]
        return "\n".join(dict.fromkeys(cleaned)) or None


class AgendaForm(Form):
    title = text_field("Mata acara", 300, required=True)


class MinutesForm(Form):
    minutes = long_text("Notulen")
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class InvitedBodyForm(Form):
    body = SelectField("Badan ad hoc", [DataRequired()], choices=enum_choices(Body, "— pilih —"))
    kecamatan = SelectField("Kecamatan", coerce=optional_id, validate_choice=False)
    desa = SelectField("Desa/Kelurahan", coerce=optional_id, validate_choice=False)
    tps = SelectField("TPS", coerce=optional_id, validate_choice=False)

    def validate_desa(self, field: SelectField) -> None:
        if field.data is not None and self.body.data == Body.PPK.value:
            raise ValidationError("PPK dipilih per kecamatan: kosongkan desa/kelurahan.")

    def validate_tps(self, field: SelectField) -> None:
        if field.data is not None and self.body.data != Body.KPPS.value:
            raise ValidationError("TPS hanya untuk KPPS.")
        if field.data is not None and self.desa.data is None:
            raise ValidationError("Pilih desa/kelurahan TPS ini dahulu.")


class AttendeeForm(Form):
    name = text_field("Nama", 200, required=True)
    office = text_field("Instansi/lembaga", 200, required=True)
    position = text_field("Jabatan", 200, required=True)


class DecisionForm(Form):
    agenda_item = SelectField("Mata acara", coerce=optional_id, validate_choice=False)
    text = long_text("Keputusan", 5000, required=True)
    action = text_field("Tindak lanjut", 500)
    owner = SelectField("Penanggung jawab", coerce=optional_id, validate_choice=False)
    due_on = DateField("Batas waktu", [Optional()])

    allowed_agenda: frozenset[int] = frozenset()
    allowed_owners: frozenset[int] = frozenset()

    def set_options(self, agenda: Choices, owners: Choices, owner_placeholder: str) -> None:
        self.agenda_item.choices = [("", "— tanpa mata acara —"), *agenda]
        self.allowed_agenda = frozenset(i for i, _ in agenda)
        self.owner.choices = [("", owner_placeholder), *owners]
        self.allowed_owners = frozenset(i for i, _ in owners)

    def validate_agenda_item(self, field: SelectField) -> None:
        if field.data is not None and field.data not in self.allowed_agenda:
            raise ValidationError("Pilih mata acara rapat ini.")

    def validate_owner(self, field: SelectField) -> None:
        if field.data is not None and field.data not in self.allowed_owners:
            raise ValidationError("Pilih penanggung jawab dari daftar.")

    def validate(self, extra_validators: Any = None) -> bool:
        # Checked here: the Optional() of an empty date stops its own validators.
        valid = super().validate(extra_validators)
        if self.action.data and self.due_on.data is None and not self.due_on.errors:
            self.due_on.errors.append("Isi batas waktu tindak lanjut.")
            return False
        return valid


class ActionForm(Form):
    """A further action item of a decision."""

    action = text_field("Tindak lanjut", 500, required=True)
    owner = SelectField("Penanggung jawab", coerce=optional_id, validate_choice=False)
    due_on = DateField("Batas waktu", [InputRequired()])

    allowed_owners: frozenset[int] = frozenset()

    def set_owners(self, owners: Choices, placeholder: str) -> None:
        self.owner.choices = [("", placeholder), *owners]
        self.allowed_owners = frozenset(i for i, _ in owners)

    def validate_owner(self, field: SelectField) -> None:
        if field.data is not None and field.data not in self.allowed_owners:
            raise ValidationError("Pilih penanggung jawab dari daftar.")


class ActionUpdateForm(Form):
    """Progress of an action item: done needs a date and an evidence document."""

    status = SelectField("Status", choices=enum_choices(ActionStatus))
    completed_on = DateField("Tanggal selesai", [Optional()])
    evidence_file = FileField("Dokumen bukti penyelesaian")
    completion_note = long_text("Keterangan", 500)
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    has_evidence = False  # the item already carries a document
    today: date | None = None

    def validate_completed_on(self, field: DateField) -> None:
        if self.today is not None and field.data is not None and field.data > self.today:
            raise ValidationError("Tanggal selesai tidak boleh setelah hari ini.")

    def validate(self, extra_validators: Any = None) -> bool:
        # Checked here: the Optional() of an empty date stops its own validators.
        valid = super().validate(extra_validators)
        if self.status.data != ActionStatus.DONE.value:
            return valid
        if self.completed_on.data is None and not self.completed_on.errors:
            self.completed_on.errors.append("Isi tanggal selesai.")
            valid = False
        if not self.evidence_file.data and not self.has_evidence:
            self.evidence_file.errors = [
                *self.evidence_file.errors,
                "Unggah dokumen bukti penyelesaian.",
            ]
            valid = False
        return valid
