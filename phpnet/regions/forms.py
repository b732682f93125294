"""Forms of the region pages: renaming a region, importing TPS."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from phpnet.forms import Form, strip_text

NAME_MAX_LENGTH = 120  # Regency.name, Kecamatan.name, Desa.name


class RegionNameForm(Form):
    name = StringField("Nama", [DataRequired(), Length(max=NAME_MAX_LENGTH)], filters=[strip_text])


class TpsImportForm(Form):
    file = FileField(
        "Berkas CSV TPS",
        [
            FileRequired("Pilih berkas CSV."),
            FileAllowed(["csv", "txt"], "Berkas harus berformat CSV (.csv)."),
        ],
    )
