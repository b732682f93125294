"""Forms of the bimtek plugin. Choices that depend on the database (kecamatan,
desa, TPS from core's place picker, team members) are set by the views; an id
that is not among them (another regency's, or outside the place chosen above)
gets a message next to its field, never a 500."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from phpnet.plugin_api import (
    EnumFilter,
    Form,
    ListFilters,
    OptionalIdField,
    SearchFilter,
    enum_choices,
    long_text,
    text_field,
)
from plugins.bimtek.bodies import Place
from plugins.bimtek.models import (
    LETTER_NUMBER_MAX,
    LINK_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    VENUE_MAX,
    Level,
    Mode,
    Participant,
    Position,
    SessionStatus,
)

MAX_PARTICIPANTS = 100_000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
PASTE_MAX = 200_000
DEFAULT_THRESHOLD = 75  # % of invited participants who should attend


class SessionForm(Form):
    title = text_field("Judul kegiatan", TITLE_MAX, required=True)
    topic = text_field("Topik", TOPIC_MAX, required=True)
    held_on = DateField("Tanggal", [InputRequired()])
    starts_at = TimeField("Jam mulai", [InputRequired()])
    ends_at = TimeField("Jam selesai", [Optional()])
    mode = SelectField("Bentuk kegiatan", choices=enum_choices(Mode), default=Mode.LURING.value)
    venue = text_field("Tempat", VENUE_MAX)
    online_link = text_field("Tautan atau keterangan daring", LINK_MAX)
    expected_participants = IntegerField(
        "Perkiraan jumlah peserta", [Optional(), NumberRange(min=1, max=MAX_PARTICIPANTS)]
    )
    invitation_number = text_field("Nomor surat undangan", LETTER_NUMBER_MAX)
    invitation_date = DateField("Tanggal surat undangan", [Optional()])
    invitation_file = FileField("Berkas surat undangan")
    notes = long_text("Catatan", NOTES_MAX)
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

    def _required_for(self, mode: Mode, field: Any, label: str) -> str | None:
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
    """A level and a place in the region tree (kecamatan > desa > TPS),
    filled by core's place picker (``fill_place_fields``)."""

    exact = False  # True: the body itself (a participant's); else an area (a target's)

    level = SelectField(
        "Tingkat", [InputRequired()], choices=enum_choices(Level, "— pilih tingkat —")
    )
    kecamatan = OptionalIdField("Kecamatan", unknown="Kecamatan tidak ada di kabupaten/kota ini.")
    desa = OptionalIdField(
        "Desa/kelurahan", unknown="Desa/kelurahan tidak ada di kecamatan yang dipilih."
    )
    tps = OptionalIdField("TPS", unknown="TPS tidak ada di desa/kelurahan yang dipilih.")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field, problem in self._missing_places():
            if not field.errors:
                field.errors = [problem]
                valid = False
        return valid

    def _missing_places(self) -> list[tuple[Any, str]]:
        """Each level needs its place: a kecamatan always; for the body
        itself (``exact``) also the desa of a PPS or KPPS and the TPS of a KPPS."""
        level = self.chosen_level()
        if level is None:
            return []  # the select's own message says so
        missing = []
        if self.kecamatan.data is None:
            missing.append((self.kecamatan, "Pilih kecamatan."))
        if self.exact and level is not Level.PPK and self.desa.data is None:
            missing.append((self.desa, "Pilih desa/kelurahan (wajib untuk PPS dan KPPS)."))
        if self.exact and level is Level.KPPS and self.tps.data is None:
            missing.append((self.tps, "Pilih TPS (wajib untuk KPPS)."))
        return missing

    def chosen_level(self) -> Level | None:
        return Level(self.level.data) if self.level.data in Level._value2member_map_ else None

    def chosen_place(self) -> Place:
        """The place of a valid form: below the level's own region, nothing."""
        level = Level(self.level.data)
        desa_id = self.desa.data if level is not Level.PPK else None
        tps_id = self.tps.data if level is Level.KPPS else None
        return Place(level, self.kecamatan.data, desa_id, tps_id)


class TargetForm(PlaceForm):
    pass


class ParticipantForm(PlaceForm):
    exact = True

    name = text_field("Nama", NAME_MAX, required=True)
    position = SelectField("Jabatan", choices=enum_choices(Position), default="anggota")
    phone = text_field("Telepon", PHONE_MAX)


class SpeakerForm(Form):
    team_member = OptionalIdField(
        "Anggota tim", unknown="Pilih anggota tim Penyelesaian PHP yang berlaku."
    )
    name = text_field("Nama narasumber luar", NAME_MAX)
    institution = text_field("Instansi", NAME_MAX)

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
    title = text_field("Judul materi", TITLE_MAX, required=True)
    material_file = FileField("Berkas materi", [FileRequired("Pilih berkas materi.")])


class PasteForm(Form):
    # Not trimmed: a first line that starts with an empty Nama cell keeps its tab.
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


class AttendanceForm(Form):
    """One person's attendance checkbox, sent with the row's number in the
    list the user sees (so that the row comes back numbered the same)."""

    hadir = BooleanField("Hadir", false_values=("", "0", "false"))
    nomor = IntegerField("Nomor", [Optional(), NumberRange(min=1, max=MAX_PARTICIPANTS)])

    @property
    def row_number(self) -> int | None:
        return None if self.nomor.errors else self.nomor.data


class ScoreField(IntegerField):
    """A test score: a whole number 0-100, or empty. A participant not on the
    form that was loaded (no value sent at all) keeps the stored score."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        self.problem = f"Nilai {label} harus bilangan bulat 0–100."
        super().__init__(label, [Optional()], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return  # not sent: the default (the stored score) stays
        text = str(valuelist[0]).strip()
        self.data = None
        # isascii: isdigit() alone also accepts digits such as "²" that int() refuses.
        if text and (not (text.isascii() and text.isdigit()) or int(text) > 100):
            raise ValueError(self.problem)
        self.data = int(text) if text else None


def scores_form(people: Sequence[Participant], formdata: Any = None) -> Form:
    """One pre-test and one post-test score per participant (``pre-<id>``,
    ``post-<id>``), each starting from the stored one; ``formdata``: as sent."""
    fields: dict[str, Any] = {}
    for person in people:
        fields[f"pre-{person.id}"] = ScoreField("pre-test", default=person.pre_score)
        fields[f"post-{person.id}"] = ScoreField("post-test", default=person.post_score)
    return type("ScoresForm", (Form,), fields)(formdata=formdata)


class SessionFilters(ListFilters):
    """The filters of the session list (in the URL)."""

    q = SearchFilter("Cari judul, topik atau tempat", render_kw={"type": "search"})
    status = EnumFilter(SessionStatus, "Status")
    tahun = IntegerField(
        "Tahun",
        [Optional(), NumberRange(min=EARLIEST_YEAR, max=LATEST_YEAR)],
        render_kw={"min": EARLIEST_YEAR, "max": LATEST_YEAR},
    )


class PeopleFilters(ListFilters):
    """The name search of a session's invitation list (in the URL)."""

    q = SearchFilter("Cari nama peserta")
