"""Forms of the province's pages: calendar events, collective leave days,
and the filters of the matrix and of the change feed (GET forms)."""

from datetime import date

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from phpnet.forms import Form, strip_text
from phpnet.province.models import EVENT_KIND_LABELS

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_WORKING_DAYS = 250  # about a year of working days
NO_BASE = 0


class EventForm(Form):
    """An event has its own date, or a deadline counted in working days from
    another event: exactly one of the two."""

    name = StringField("Nama kegiatan", [DataRequired(), Length(max=200)], filters=[strip_text])
    kind = SelectField(
        "Jenis", choices=[(kind.value, label) for kind, label in EVENT_KIND_LABELS.items()]
    )
    on_date = DateField("Tanggal", [Optional()])
    base_event = SelectField("Dihitung dari kegiatan", coerce=int, default=NO_BASE)
    working_days = IntegerField(
        "Jumlah hari kerja",
        [Optional(), NumberRange(min=1, max=MAX_WORKING_DAYS)],
    )
    notes = TextAreaField("Keterangan", [Optional(), Length(max=500)], filters=[strip_text])

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        counted = self.base_event.data not in (None, NO_BASE)
        if counted and self.on_date.data is not None:
            self.on_date.errors = [
                *self.on_date.errors,
                "Kosongkan tanggal bila tenggat dihitung dari kegiatan lain.",
            ]
            valid = False
        if counted and self.working_days.data is None and not self.working_days.errors:
            self.working_days.errors = [*self.working_days.errors, "Isi jumlah hari kerja."]
            valid = False
        if not counted and self.on_date.data is None and not self.on_date.errors:
            self.on_date.errors = [
                *self.on_date.errors,
                "Isi tanggal, atau pilih kegiatan acuan dan jumlah hari kerja.",
            ]
            valid = False
        if not counted and self.working_days.data is not None:
            self.base_event.errors = [
                *self.base_event.errors,
                "Pilih kegiatan acuan untuk jumlah hari kerja.",
            ]
            valid = False
        if self.on_date.data and not EARLIEST <= self.on_date.data <= LATEST:
            self.on_date.errors = [*self.on_date.errors, "Tanggal di luar 2000–2100."]
            valid = False
        return valid


class EventChoiceForm(Form):
    """The event a row's edit or delete button names (a hidden field)."""

    acara = IntegerField("Kegiatan", [InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class UpdateEventForm(EventForm, EventChoiceForm):
    pass


class LeaveDayForm(Form):
    day = DateField("Tanggal cuti bersama", [InputRequired()])
    name = StringField("Keterangan", [DataRequired(), Length(max=200)], filters=[strip_text])

    def validate_day(self, field: DateField) -> None:
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValueError("Tanggal di luar 2000–2100.")


class LeaveChoiceForm(Form):
    cuti = IntegerField("Cuti bersama", [InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class MatrixFilterForm(Form):
    """Sort and filter of the readiness matrix, from the query string."""

    class Meta:
        csrf = False

    kabkota = SelectField("Kabupaten/kota", validate_choice=False, default="")
    urut = SelectField("Urutkan", validate_choice=False, default="kode")


class ChangeFilterForm(Form):
    class Meta:
        csrf = False

    kabkota = SelectField("Kabupaten/kota", validate_choice=False, default="")
    objek = SelectField("Jenis objek", validate_choice=False, default="")
    dari = DateField("Dari tanggal", [Optional()])
    sampai = DateField("Sampai tanggal", [Optional()])
