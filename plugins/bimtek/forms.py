"""Forms of the bimtek plugin. Choices that depend on the database (kecamatan,
desa, TPS, team members) are filled in by the views; places are checked
against the current regency by :func:`plugins.bimtek.bodies.locate`, so an id
of another regency gets a message next to the field, never a 500."""

from datetime import date, datetime
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from phpnet.forms import Form, strip_text
from phpnet.kit.enums import enum_choices
from plugins.bimtek.bodies import level_choices
from plugins.bimtek.models import (
    LETTER_NUMBER_MAX,
    LINK_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    VENUE_MAX,
    Mode,
    Position,
    SessionStatus,
)

MAX_INTEGER = 2_147_483_647  # the largest value an INTEGER column holds (PostgreSQL)
MAX_PARTICIPANTS = 100_000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
PASTE_MAX = 200_000
DEFAULT_THRESHOLD = 75  # % of invited participants who should attend


def parse_id(value: Any) -> int | None:
    """A select's value as an id: the empty placeholder is None; anything
    that is not a positive whole number fitting a column is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    # isascii: isdigit() alone also accepts digits such as "²" that int() refuses.
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_INTEGER:
        raise ValueError("not an id")
    return int(text)


def _text(label: str, maximum: int, *, required: bool = False) -> StringField:
    first = DataRequired() if required else Optional()
    return StringField(label, [first, Length(max=maximum)], filters=[strip_text])


def _place_select(label: str) -> SelectField:
    return SelectField(label, coerce=parse_id, validate_choice=False, choices=[("", "—")])


class SessionForm(Form):
    title = _text("Judul kegiatan", TITLE_MAX, required=True)
    topic = _text("Topik", TOPIC_MAX, required=True)
    held_on = DateField("Tanggal", [InputRequired()])
    starts_at = TimeField("Jam mulai", [InputRequired()])
    ends_at = TimeField("Jam selesai", [Optional()])
    mode = SelectField("Bentuk kegiatan", choices=enum_choices(Mode), default=Mode.LURING.value)
    venue = _text("Tempat", VENUE_MAX)
    online_link = _text("Tautan atau keterangan daring", LINK_MAX)
    expected_participants = IntegerField(
        "Perkiraan jumlah peserta", [Optional(), NumberRange(min=1, max=MAX_PARTICIPANTS)]
    )
    invitation_number = _text("Nomor surat undangan", LETTER_NUMBER_MAX)
    invitation_date = DateField("Tanggal surat undangan", [Optional()])
    invitation_file = FileField("Berkas surat undangan")
    notes = TextAreaField("Catatan", [Optional(), Length(max=NOTES_MAX)], filters=[strip_text])
    status = SelectField(
        "Status", choices=enum_choices(SessionStatus), default=SessionStatus.PLANNED.value
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        checks = [
            (self.held_on, _year_problem(self.held_on.data, "Tanggal kegiatan")),
            (self.invitation_date, _year_problem(self.invitation_date.data, "Tanggal surat")),
            (self.ends_at, self._end_problem()),
            (self.venue, self._required_for(Mode.LURING, self.venue, "Tempat")),
            (self.online_link, self._required_for(Mode.DARING, self.online_link, "Tautan")),
            (self.invitation_date, self._letter_date_problem()),
            (self.invitation_number, self._letter_number_problem()),
        ]
        for field, problem in checks:
            if problem:
                field.errors = [*field.errors, problem]
                valid = False
        return valid

    def _end_problem(self) -> str | None:
        start, end = self.starts_at.data, self.ends_at.data
        if start and end and end <= start:
            return "Jam selesai harus sesudah jam mulai."
        return None

    def _required_for(self, mode: Mode, field: StringField, label: str) -> str | None:
        if self.mode.data == mode.value and not field.data and not field.errors:
            return f"{label} wajib diisi untuk kegiatan {mode.label.lower()}."
        return None

    def _letter_date_problem(self) -> str | None:
        letter, held = self.invitation_date.data, self.held_on.data
        if letter and held and letter > held:
            return "Tanggal surat undangan tidak boleh sesudah tanggal kegiatan."
        return None

    def _letter_number_problem(self) -> str | None:
        if self.invitation_date.data and not self.invitation_number.data:
            return "Isi nomor surat undangan bila tanggalnya diisi."
        return None

    def column_values(self) -> dict[str, Any]:
        online = self.mode.data == Mode.DARING.value
        return {
            "title": self.title.data,
            "topic": self.topic.data,
            "starts_at": datetime.combine(self.held_on.data, self.starts_at.data),
            "ends_at": (
                datetime.combine(self.held_on.data, self.ends_at.data)
                if self.ends_at.data
                else None
            ),
            "mode": Mode(self.mode.data),
            "venue": self.venue.data or None,
            "online_link": (self.online_link.data or None) if online else None,
            "expected_participants": self.expected_participants.data,
            "invitation_number": self.invitation_number.data or None,
            "invitation_date": self.invitation_date.data,
            "notes": self.notes.data or None,
            "status": SessionStatus(self.status.data),
        }


class EditSessionForm(SessionForm):
    version = HiddenField(validators=[DataRequired()])
    loaded = HiddenField()


def _year_problem(day: date | None, label: str) -> str | None:
    if day and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return f"{label} harus antara tahun {EARLIEST_YEAR} dan {LATEST_YEAR}."
    return None


class PlaceForm(Form):
    """A level and a place in the region tree (kecamatan > desa > TPS)."""

    level = SelectField("Tingkat", [InputRequired()], choices=level_choices())
    kecamatan = _place_select("Kecamatan")
    desa = _place_select("Desa/kelurahan")
    tps = _place_select("TPS")


class TargetForm(PlaceForm):
    pass


class ParticipantForm(PlaceForm):
    name = _text("Nama", NAME_MAX, required=True)
    position = SelectField("Jabatan", choices=enum_choices(Position), default="anggota")
    phone = _text("Telepon", PHONE_MAX)


class SpeakerForm(Form):
    team_member = SelectField(
        "Anggota tim", coerce=parse_id, validate_choice=False, choices=[("", "—")]
    )
    name = _text("Nama narasumber luar", NAME_MAX)
    institution = _text("Instansi", NAME_MAX)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.team_member.data is None and not self.name.data:
            self.name.errors = ["Pilih anggota tim, atau isi nama narasumber luar."]
            return False
        if valid and self.team_member.data is not None and self.name.data:
            self.name.errors = ["Pilih salah satu: anggota tim atau narasumber luar."]
            return False
        return valid


class MaterialForm(Form):
    title = _text("Judul materi", TITLE_MAX, required=True)
    material_file = FileField("Berkas materi", [FileRequired("Pilih berkas materi.")])


class PasteForm(Form):
    rows = TextAreaField(
        "Tempel baris dari spreadsheet",
        [DataRequired(), Length(max=PASTE_MAX)],
        filters=[lambda v: v.replace("\x00", "") if isinstance(v, str) else v],
    )


class ImportForm(Form):
    file = FileField("Berkas XLSX peserta", [FileRequired("Pilih berkas XLSX.")])


class SettingsForm(Form):
    attendance_threshold = IntegerField(
        "Ambang kehadiran (%)", [InputRequired(), NumberRange(min=1, max=100)]
    )
