"""Forms of the coordination plugin. Choices that come from the database (team
members, agenda items, regencies, places) are set by the views; an id outside
them gets a message next to the field, never a 500."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, TimeField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from phpnet.plugin_api import (
    CheckboxListField,
    Form,
    OptionalIdField,
    enum_choices,
    long_text,
    text_field,
    today_wib,
)
from plugins.coordination.models import ActionStatus, Body, MeetingStatus

MINUTES_MAX = 20_000  # the minutes of one agenda item
Choices = Sequence[tuple[Any, str]]
NOT_AN_OWNER = "Pilih penanggung jawab dari daftar."


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
    regencies = CheckboxListField("KPU kabupaten/kota yang diundang")
    positions = CheckboxListField("Jabatan yang diharapkan hadir", coerce=str)
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
    minutes = long_text("Notulen", MINUTES_MAX)
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class InvitedBodyForm(Form):
    """An ad hoc body and its place; the place selects are core's place
    picker (``fill_place_fields``), each offering only what lies inside the
    place chosen above it."""

    body = SelectField("Badan ad hoc", [DataRequired()], choices=enum_choices(Body, "— pilih —"))
    kecamatan = OptionalIdField("Kecamatan", unknown="Pilih kecamatan di kabupaten/kota ini.")
    desa = OptionalIdField(
        "Desa/Kelurahan", unknown="Pilih desa/kelurahan di kecamatan yang dipilih."
    )
    tps = OptionalIdField("TPS", unknown="Pilih TPS di desa/kelurahan yang dipilih.")

    def validate_desa(self, field: OptionalIdField) -> None:
        if field.data is not None and self.body.data == Body.PPK.value:
            raise ValidationError("PPK dipilih per kecamatan: kosongkan desa/kelurahan.")

    def validate_tps(self, field: OptionalIdField) -> None:
        if field.data is not None and self.body.data != Body.KPPS.value:
            raise ValidationError("TPS hanya untuk KPPS.")


class AttendeeForm(Form):
    name = text_field("Nama", 200, required=True)
    office = text_field("Instansi/lembaga", 200, required=True)
    position = text_field("Jabatan", 200, required=True)


def owner_choices(owners: Choices, placeholder: str) -> Choices:
    return [("", placeholder), *owners]


class DecisionForm(Form):
    agenda_item = OptionalIdField("Mata acara", unknown="Pilih mata acara rapat ini.")
    text = long_text("Keputusan", 5000, required=True)
    action = text_field("Tindak lanjut", 500)
    owner = OptionalIdField("Penanggung jawab", unknown=NOT_AN_OWNER)
    due_on = DateField("Batas waktu", [Optional()])

    def set_options(self, agenda: Choices, owners: Choices, owner_placeholder: str) -> None:
        self.agenda_item.choices = [("", "— tanpa mata acara —"), *agenda]
        self.owner.choices = owner_choices(owners, owner_placeholder)

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
    owner = OptionalIdField("Penanggung jawab", unknown=NOT_AN_OWNER)
    due_on = DateField("Batas waktu", [InputRequired()])


class ActionUpdateForm(Form):
    """Progress of an action item: done needs a date and an evidence document."""

    status = SelectField("Status", choices=enum_choices(ActionStatus))
    completed_on = DateField("Tanggal selesai", [Optional()])
    evidence_file = FileField("Dokumen bukti penyelesaian")
    completion_note = long_text("Keterangan", 500)
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    has_evidence = False  # the item already carries a document

    def validate_completed_on(self, field: DateField) -> None:
        if field.data is not None and field.data > today_wib():
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
