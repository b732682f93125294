from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from phpnet.auth.passwords import MAX_LENGTH
from phpnet.forms import Form, strip_text


class LoginForm(Form):
    username = StringField("Nama pengguna", [DataRequired(), Length(max=64)], filters=[strip_text])
    password = PasswordField("Kata sandi", [DataRequired(), Length(max=MAX_LENGTH)])


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Kata sandi saat ini", [DataRequired(), Length(max=MAX_LENGTH)]
    )
    # The policy (length, common passwords) is checked by password_problem().
    new_password = PasswordField("Kata sandi baru", [DataRequired()])
    confirm_password = PasswordField(
        "Ulangi kata sandi baru",
        [DataRequired(), EqualTo("new_password", message="Kedua kata sandi baru tidak sama.")],
    )
