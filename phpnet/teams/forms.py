"""Forms of the team pages: the decree (SK) and a team member."""

import re
from datetime import date
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from phpnet.auth.models import User
from phpnet.forms import Form, strip_text
from phpnet.kit.clock import today_wib
from phpnet.teams.models import POSITION_LABELS, UNIT_LABELS, OfficeUnit, Position, TeamMember

EARLIEST_DECREE = date(2000, 1, 1)
NO_ACCOUNT = 0
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def without_spaces(value: Any) -> Any:
    """NIPs are often written in groups ("19800101 200501 1 001")."""
    return value.replace(" ", "") if isinstance(value, str) else value


class DecreeForm(Form):
    sk_number = StringField("Nomor SK", [DataRequired(), Length(max=120)], filters=[strip_text])
    sk_date = DateField("Tanggal SK", [InputRequired()])
    signed_by = StringField(
        "Ditandatangani oleh", [DataRequired(), Length(max=200)], filters=[strip_text]
    )
    scan = FileField("Pindaian SK (PDF)")
    copy_members = BooleanField("Salin anggota dari tim yang berlaku", default=True)

    def validate_sk_date(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data > today_wib():
            raise ValidationError("Tanggal SK tidak boleh setelah hari ini.")
        if field.data < EARLIEST_DECREE:
            raise ValidationError("Tanggal SK tidak boleh sebelum tahun 2000.")


class ScanForm(Form):
    scan = FileField("Pindaian SK (PDF)", [DataRequired(message="Pilih berkas PDF.")])


class MemberForm(Form):
    name = StringField("Nama", [DataRequired(), Length(max=200)], filters=[strip_text])
    position = SelectField(
        "Jabatan dalam tim",
        [DataRequired()],
        choices=[(p.value, label) for p, label in POSITION_LABELS.items()],
        default=Position.ANGGOTA.value,
    )
    unit = SelectField(
        "Unit kerja",
        [DataRequired()],
        choices=[("", "— pilih unit kerja —")]
        + [(u.value, label) for u, label in UNIT_LABELS.items()],
    )
    unit_other = StringField("Unit kerja lainnya", [Length(max=200)], filters=[strip_text])
    nip = StringField(
        "NIP",
        [Optional(), Regexp(r"^[0-9]{18}$", message="NIP harus tepat 18 angka.")],
        filters=[strip_text, without_spaces],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    phone = TelField(
        "Nomor telepon",
        [
            Optional(),
            Length(max=32),
            Regexp(
                r"^\+?[0-9][0-9 \-]*$",
                message="Nomor telepon hanya boleh berisi angka, spasi, tanda + dan -.",
            ),
        ],
        filters=[strip_text],
    )
    email = EmailField(
        "Email",
        [
            Optional(),
            Length(max=200),
            Regexp(EMAIL_PATTERN, message="Alamat email tidak sah."),
        ],
        filters=[strip_text],
    )
    user_id = SelectField("Akun phpnet", coerce=int, default=NO_ACCOUNT)

    def set_accounts(self, accounts: list[User]) -> None:
        """Only accounts of this regency can be chosen: any other id is
        refused as an invalid choice (no mass assignment)."""
        self.user_id.choices = [(NO_ACCOUNT, "— tidak ditautkan —")] + [
            (u.id, f"{u.full_name} ({u.username}){'' if u.is_active else ' – nonaktif'}")
            for u in accounts
        ]

    def validate_unit_other(self, field: StringField) -> None:
        if self.unit.data == OfficeUnit.LAINNYA.value and not field.data:
            raise ValidationError("Wajib diisi bila unit kerja “Lainnya”.")

    def apply_to(self, member: TeamMember) -> None:
        unit = OfficeUnit(self.unit.data)
        member.name = self.name.data
        member.position = Position(self.position.data)
        member.unit = unit
        member.unit_other = self.unit_other.data if unit is OfficeUnit.LAINNYA else None
        member.nip = self.nip.data or None
        member.phone = self.phone.data or None
        member.email = self.email.data or None
        member.user_id = self.user_id.data or None


class EditMemberForm(MemberForm):
    """A member's edit form; ``version`` is the version the person saw.

    Without it (a client that does not send the field) the edit applies to
    the stored version; the database still refuses a concurrent overwrite."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
