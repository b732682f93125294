"""The base form of phpnet: Flask-WTF (CSRF) with WTForms' messages in Indonesian.

WTForms ships no Indonesian catalogue, so its built-in messages are translated
here; every form in core and in plugins derives from :class:`Form`."""

from typing import Any

from flask_wtf import FlaskForm

INDONESIAN = {
    "This field is required.": "Wajib diisi.",
    "Not a valid choice.": "Pilihan tidak sah.",
    "Invalid Choice: could not coerce.": "Pilihan tidak sah.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Harus berupa angka.",
    "Not a valid float value.": "Harus berupa angka.",
    "Not a valid date value.": "Tanggal tidak sah (gunakan format tttt-bb-hh).",
    "Not a valid datetime value.": "Tanggal dan waktu tidak sah.",
    "Not a valid time value.": "Waktu tidak sah (gunakan format jj:mm).",
    "Invalid email address.": "Alamat email tidak sah.",
    "Invalid URL.": "Alamat URL tidak sah.",
    "Invalid input.": "Isian tidak sah.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka maksimal %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "Field must be at least %(min)d character long.": "Minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Maksimal %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Maksimal %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Harus antara %(min)d dan %(max)d karakter."
    ),
    "The CSRF token is missing.": "Token keamanan formulir hilang. Muat ulang halaman.",
    "The CSRF token is invalid.": "Token keamanan formulir tidak sah. Muat ulang halaman.",
    "The CSRF session token is missing.": "Sesi formulir berakhir. Muat ulang halaman.",
    "The CSRF token has expired.": "Token keamanan formulir kedaluwarsa. Muat ulang halaman.",
    "The CSRF tokens do not match.": "Token keamanan formulir tidak cocok. Muat ulang halaman.",
    "CSRF token missing.": "Token keamanan formulir hilang. Muat ulang halaman.",
    "CSRF failed.": "Token keamanan formulir tidak sah. Muat ulang halaman.",
    "CSRF token expired.": "Token keamanan formulir kedaluwarsa. Muat ulang halaman.",
    "Invalid CSRF Token.": "Token keamanan formulir tidak sah. Muat ulang halaman.",
}


class IndonesianTranslations:
    """The gettext interface WTForms asks its Meta for."""

    def gettext(self, message: str) -> str:
        return INDONESIAN.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_TRANSLATIONS = IndonesianTranslations()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> IndonesianTranslations:
            return _TRANSLATIONS


# Bidirectional controls (e.g. U+202E) can make a stored name read as
# something else; nothing typed into an office form needs them.
_DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_text(value: Any) -> Any:
    """Field filter: trim surrounding spaces and drop NUL bytes, which
    PostgreSQL cannot store (so both databases behave the same), and
    bidirectional control characters, which can disguise text."""
    if isinstance(value, str):
        return value.replace("\x00", "").translate(_DIRECTION_CONTROLS).strip()
    return value
