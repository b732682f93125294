from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from phpnet.forms import Form, strip_text


class LoginForm(Form):
    username = StringField("Nama pengguna", [DataRequired(), Length(max=64)], filters=[strip_text])
    password = PasswordField("Kata sandi", [DataRequired(), Length(max=128)])


class PasswordChangeForm(Form):
    current_password = PasswordField("Kata sandi saat ini", [DataRequired()])
    new_password = PasswordField("Kata sandi baru", [DataRequired()])
    confirm_password = PasswordField(
        "Ulangi kata sandi baru",
        [DataRequired(), EqualTo("new_password", message="Kedua kata sandi baru tidak sama.")],
    )
