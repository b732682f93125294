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
from wtforms import DateField, HiddenField, IntegerField, SelectField
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
from plugins.supervision.models import DocumentKind, Kind, Severity

Choices = Sequence[tuple[Any, str]]
NOT_IN_TEAM = "Pilih anggota Tim Penyelesaian PHP kabupaten/kota ini."


def _enum_select(label: str, enum_type: type[Kind | Severity | DocumentKind], empty: str) -> Any:
    return SelectField(label, [DataRequired()], choices=enum_choices(enum_type, empty), default="")


class ActivityForm(Form):
    kind = _enum_select("Jenis kegiatan", Kind, "— pilih —")
    started_on = DateField("Tanggal mulai", [InputRequired()])
    ended_on = DateField("Tanggal selesai", [Optional()])
    purpose = long_text("Maksud dan tujuan", required=True)
    recommendations = long_text("Rekomendasi yang diberikan")
    members = CheckboxListField("Anggota tim yang bertugas", validate_choice=False)

    def set_members(self, choices: Choices) -> None:
        self.members.choices = list(choices)

    def validate_members(self, field: CheckboxListField) -> None:
        allowed = {value for value, _ in field.choices or []}
        if any(member not in allowed for member in field.data or []):
            raise ValidationError(NOT_IN_TEAM)

    def validate_started_on(self, field: DateField) -> None:
        if field.data is not None and field.data > today_wib():
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
    severity = _enum_select("Tingkat keparahan", Severity, "— pilih —")
    body = OptionalIdField(
        "Lembaga", unknown="Pilih salah satu lembaga yang dikunjungi dalam kegiatan ini."
    )

    def set_bodies(self, choices: Choices) -> None:
        self.body.choices = [("", "— seluruh kegiatan —"), *choices]


class FollowUpForm(Form):
    action = long_text("Tindak lanjut yang diminta", 500, required=True)
    finding = OptionalIdField("Atas temuan", unknown="Pilih temuan kegiatan ini.")
    owner = OptionalIdField("Penanggung jawab", [DataRequired()], unknown=NOT_IN_TEAM)
    due_on = DateField("Tenggat", [InputRequired()])

    def set_options(self, findings: Choices, members: Choices) -> None:
        self.finding.choices = [("", "— tidak terkait temuan tertentu —"), *findings]
        self.owner.choices = [("", "— pilih anggota tim —"), *members]


class CompleteFollowUpForm(Form):
    done_on = DateField("Tanggal selesai", [InputRequired()])
    done_note = text_field("Keterangan penyelesaian", 500)
    evidence_file = FileField(
        "Bukti penyelesaian", [DataRequired(message="Unggah bukti penyelesaian.")]
    )
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    def validate_done_on(self, field: DateField) -> None:
        if field.data is not None and field.data > today_wib():
            raise ValidationError("Tanggal selesai tidak boleh setelah hari ini.")


class DocumentForm(Form):
    document_file = FileField("Berkas", [DataRequired(message="Pilih berkas.")])
    kind = _enum_select("Jenis dokumen", DocumentKind, "— pilih jenis dokumen —")


class LinkForm(Form):
    """Link a finding to a record another plugin offered for the same place."""

    plugin = text_field("Modul", 64, required=True)
    record_id = IntegerField("Catatan", [InputRequired()])
