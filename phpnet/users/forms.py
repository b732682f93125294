"""Account forms of the admin pages, also used by ``phpnet users create`` so
the web and the command line accept exactly the same accounts."""

from typing import Any

from wtforms import SearchField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from phpnet.auth.models import Role, User
from phpnet.extensions import db
from phpnet.forms import Form, strip_text
from phpnet.regions.models import Regency, dotted_code

USERNAME_PATTERN = r"^[a-z0-9._-]+\Z"  # \Z: "$" would let a trailing newline through
USERNAME_RULE = "Hanya huruf kecil, angka, titik (.), garis bawah (_) dan tanda hubung (-)."
ROLE_CHOICES = [(role.value, role.label) for role in Role]
ROLES_BY_VALUE = {role.value: role for role in Role}
NO_REGENCY = ("", "Tidak ada (Administrator sistem / Staf KPU Provinsi)")
STATUS_CHOICES = [("", "Semua status"), ("aktif", "Aktif"), ("nonaktif", "Nonaktif")]


def lowercase(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def regency_choices() -> list[tuple[str, str]]:
    regencies = db.session.execute(
        db.select(Regency).filter_by(is_active=True).order_by(Regency.code)
    ).scalars()
    return [(regency.slug, regency.name) for regency in regencies]


def find_regency(code: str | None) -> Regency | None:
    """An active regency by its URL code ("3507"), or None."""
    if not code or not code.isdigit() or len(code) != 4:
        return None
    return db.session.execute(
        db.select(Regency).filter_by(code=dotted_code(code), is_active=True)
    ).scalar_one_or_none()


class AccountForm(Form):
    """Name, role and regency: what an admin may change on any account."""

    full_name = StringField("Nama lengkap", [DataRequired(), Length(max=200)], filters=[strip_text])
    role = SelectField("Peran", choices=ROLE_CHOICES)
    regency = SelectField("Kabupaten/Kota", choices=[NO_REGENCY])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regency.choices = [NO_REGENCY, *regency_choices()]

    @property
    def chosen_role(self) -> Role | None:
        return ROLES_BY_VALUE.get(self.role.data)

    def validate_regency(self, field: SelectField) -> None:
        role = self.chosen_role
        if role is None:
            return  # the role field reports its own error
        if role.is_regional and not field.data:
            raise ValidationError(f"Wajib diisi untuk peran {role.label}.")
        if not role.is_regional and field.data:
            raise ValidationError(
                f"Harus kosong untuk peran {role.label} (peran ini melihat semua kabupaten/kota)."
            )


class NewAccountForm(AccountForm):
    username = StringField(
        "Nama pengguna",
        [
            DataRequired(),
            Length(min=3, max=64),
            Regexp(USERNAME_PATTERN, message=USERNAME_RULE),
        ],
        filters=[strip_text, lowercase],
    )

    def validate_username(self, field: StringField) -> None:
        taken = db.session.execute(
            db.select(User.id).filter_by(username=field.data)
        ).scalar_one_or_none()
        if taken is not None:
            raise ValidationError(f"Nama pengguna «{field.data}» sudah dipakai.")


class UserFilterForm(Form):
    """The filters above the account list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField("Cari nama", [Length(max=200)], filters=[strip_text])
    role = SelectField("Peran", choices=[("", "Semua peran"), *ROLE_CHOICES])
    regency = SelectField("Kabupaten/Kota", choices=[("", "Semua kabupaten/kota")])
    status = SelectField("Status", choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regency.choices = [("", "Semua kabupaten/kota"), *regency_choices()]
