"""Forms of the inventory: an entry (new and edit), its evidence, a category.

Choices that depend on the database (kecamatan, desa, TPS, categories, team
members) are filled in by the views; an id outside them is refused with a
message next to the field, never a 500."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from phpnet.plugin_api import (
    MAX_INTEGER,
    Form,
    IdField,
    OptionalIdField,
    enum_choices,
    long_text,
    now_wib,
    parse_id,
    text_field,
    today_wib,
)
from plugins.inventory.columns import LONG_TEXT_MAX
from plugins.inventory.models import (
    EvidenceType,
    FollowUp,
    Level,
    Race,
    RecordForm,
    Stage,
    Status,
)

Choices = Sequence[tuple[Any, str]]
CHOOSE = "— pilih —"


class EntryForm(Form):
    """The fields of a DIM entry, shared by the new and the edit form."""

    level = SelectField(
        "Tingkat lokasi", [InputRequired()], choices=enum_choices(Level), default=Level.TPS.value
    )
    # Not IdFields: which places a level needs, and that each lies inside the
    # one above it, is entries.resolve_location's check (with messages that
    # name the places); core's place picker fills their choices.
    kecamatan = SelectField("Kecamatan", coerce=parse_id, validate_choice=False)
    desa = SelectField("Desa/Kelurahan", coerce=parse_id, validate_choice=False)
    tps = SelectField("TPS", coerce=parse_id, validate_choice=False)
    race = SelectField(
        "Jenis pemilihan", [DataRequired()], choices=enum_choices(Race, CHOOSE), default=""
    )
    dapil = text_field("Dapil", 100)
    stage = SelectField(
        "Tahapan", [DataRequired()], choices=enum_choices(Stage, CHOOSE), default=""
    )
    category = IdField(
        "Kategori masalah", unknown="Kategori tidak dikenal atau tidak aktif. Pilih dari daftar."
    )
    occurred_date = DateField("Tanggal kejadian", [InputRequired()])
    occurred_time = TimeField("Jam kejadian (WIB)", [InputRequired()])
    description = long_text("Uraian kejadian", LONG_TEXT_MAX, required=True)
    objector = text_field("Pihak yang keberatan", 200)
    record_form = SelectField(
        "Formulir", choices=enum_choices(RecordForm), default=RecordForm.NONE.value
    )
    record_form_number = text_field("Nomor formulir", 100)
    bawaslu_letter_number = text_field("Nomor rekomendasi Bawaslu/Panwaslu", 100)
    bawaslu_letter_date = DateField("Tanggal rekomendasi", [Optional()])
    bawaslu_content = long_text("Isi rekomendasi", LONG_TEXT_MAX)
    follow_up = SelectField(
        "Tindak lanjut", choices=enum_choices(FollowUp), default=FollowUp.NONE.value
    )
    follow_up_detail = long_text("Keterangan tindak lanjut", 500)
    follow_up_date = DateField("Tanggal tindak lanjut", [Optional()])
    status = SelectField("Status", choices=enum_choices(Status), default=Status.OPEN.value)
    vote_difference = IntegerField(
        "Selisih suara",
        [
            Optional(),
            NumberRange(
                min=0,
                max=MAX_INTEGER,
                message="Selisih suara harus bilangan bulat 0 atau lebih.",
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    person_in_charge = OptionalIdField(
        "Penanggung jawab",
        unknown="Pilih anggota Tim Penyelesaian PHP yang berlaku di kabupaten/kota ini.",
    )
    notes = long_text("Catatan", LONG_TEXT_MAX)

    def set_options(self, categories: Mapping[str, Choices], members: Choices) -> None:
        """Offer these categories (grouped by stage) and team members; the
        fields refuse any other id."""
        self.category.choices = {None: [("", "— pilih kategori —")], **categories}
        self.person_in_charge.choices = [("", "— belum ditentukan —"), *members]

    def validate_occurred_date(self, field: DateField) -> None:
        if field.data is not None and field.data > today_wib():
            raise ValidationError("Tanggal kejadian tidak boleh setelah hari ini.")

    def validate_occurred_time(self, field: TimeField) -> None:
        moment = self.occurred_at
        now = now_wib().replace(tzinfo=None)  # entries keep WIB without a zone
        if moment is not None and moment.date() == now.date() and moment > now:
            raise ValidationError("Jam kejadian tidak boleh setelah saat ini.")

    def validate_record_form_number(self, field: StringField) -> None:
        if self.record_form.data not in ("", RecordForm.NONE.value) and not field.data:
            raise ValidationError("Wajib diisi bila kejadian dicatat dalam formulir.")

    def validate_bawaslu_letter_date(self, field: DateField) -> None:
        if field.data is not None and field.data > today_wib():
            raise ValidationError("Tanggal rekomendasi tidak boleh setelah hari ini.")

    def validate_follow_up_detail(self, field: StringField) -> None:
        if self.follow_up.data == FollowUp.OTHER.value and not field.data:
            raise ValidationError("Wajib diisi bila tindak lanjut “Lainnya”.")

    def validate_follow_up_date(self, field: DateField) -> None:
        occurred: date | None = self.occurred_date.data
        if field.data is not None and occurred is not None and field.data < occurred:
            raise ValidationError("Tanggal tindak lanjut tidak boleh sebelum tanggal kejadian.")

    @property
    def occurred_at(self) -> datetime | None:
        day: date | None = self.occurred_date.data
        moment: time | None = self.occurred_time.data
        if day is None or moment is None:
            return None
        return datetime.combine(day, moment.replace(second=0, microsecond=0))

    def column_values(self) -> dict[str, Any]:
        """The entry's columns from a validated form (location apart)."""
        record_form = RecordForm(self.record_form.data)
        return {
            "race": Race(self.race.data),
            "dapil": self.dapil.data or None,
            "stage": Stage(self.stage.data),
            "category_id": self.category.data,
            "occurred_at": self.occurred_at,
            "description": self.description.data,
            "objector": self.objector.data or None,
            "record_form": record_form,
            "record_form_number": (
                None if record_form is RecordForm.NONE else self.record_form_number.data
            ),
            "bawaslu_letter_number": self.bawaslu_letter_number.data or None,
            "bawaslu_letter_date": self.bawaslu_letter_date.data,
            "bawaslu_content": self.bawaslu_content.data or None,
            "follow_up": FollowUp(self.follow_up.data),
            "follow_up_detail": self.follow_up_detail.data or None,
            "follow_up_date": self.follow_up_date.data,
            "status": Status(self.status.data),
            "vote_difference": self.vote_difference.data,
            "person_in_charge_id": self.person_in_charge.data,
            "notes": self.notes.data or None,
        }


class NewEntryForm(EntryForm):
    """A new entry may bring its first evidence document along."""

    evidence_file = FileField("Berkas bukti")
    evidence_type = SelectField(
        "Jenis bukti",
        choices=enum_choices(EvidenceType, "— pilih jenis bukti —"),
        default="",
    )

    def validate_evidence_type(self, field: SelectField) -> None:
        if self.evidence_file.data and not field.data:
            raise ValidationError("Pilih jenis bukti untuk berkas yang diunggah.")


class EditEntryForm(EntryForm):
    """The version and the values the user loaded travel with the form, so a
    save can tell whether someone else saved the entry in between."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    loaded = HiddenField()


class EvidenceForm(Form):
    evidence_file = FileField("Berkas bukti", [DataRequired(message="Pilih berkas bukti.")])
    evidence_type = SelectField(
        "Jenis bukti",
        [DataRequired()],
        choices=enum_choices(EvidenceType, "— pilih jenis bukti —"),
        default="",
    )


class CategoryForm(Form):
    name = text_field("Nama kategori", 200, required=True)
    stage = SelectField("Tahapan", choices=enum_choices(Stage, "Semua tahapan"), default="")


class CategoryStateForm(Form):
    """Switch one of the regency's own categories on ("1") or off ("0")."""

    aktif = SelectField(choices=[("1", "Aktifkan"), ("0", "Nonaktifkan")])


class StatusForm(Form):
    """The status select of one row of the list, with the version the row
    showed (a change made since is refused, not overwritten)."""

    status = SelectField("Status", [InputRequired()], choices=enum_choices(Status))
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class BulkStatusForm(Form):
    """One new status for the entries ticked in the list."""

    status = SelectField("Status baru", [InputRequired()], choices=enum_choices(Status))
    entry_ids = SelectMultipleField("Entri", coerce=parse_id, validate_choice=False)
