"""``phpnet users ...``: accounts from the server's command line.

Passwords are read from standard input, never from the arguments (which
other users of the server can see in the process list and shell history).
The web form's validation applies, so both paths accept the same accounts."""

import sys
from typing import NoReturn

import click
from werkzeug.datastructures import MultiDict

from phpnet.auth.models import Role, User
from phpnet.auth.passwords import password_problem
from phpnet.extensions import db
from phpnet.users.forms import ROLES_BY_VALUE, NewAccountForm, find_regency
from phpnet.users.service import create_account, issue_new_password, set_password

OPTION_NAMES = {
    "username": "USERNAME",
    "full_name": "--full-name",
    "role": "--role",
    "regency": "--regency",
}
ROLE_LIST = ", ".join(role.value for role in Role)


@click.group("users", help="Akun pengguna.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.argument("username")
@click.option("--role", default="", help=f"Peran: {ROLE_LIST}.")
@click.option("--regency", default="", help="Kode kabupaten/kota tanpa titik, mis. 3507.")
@click.option("--full-name", default="", help="Nama lengkap (bawaan: nama pengguna).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Baca kata sandi dari stdin (satu baris). Tanpa ini dibuat kata sandi awal acak "
    "yang wajib diganti saat pertama masuk.",
)
def create_command(
    username: str, role: str, regency: str, full_name: str, password_stdin: bool
) -> None:
    """Buat akun pengguna baru."""
    form = NewAccountForm(
        formdata=MultiDict(
            {
                "username": username,
                "full_name": full_name or username,
                "role": role,
                "regency": regency.replace(".", ""),
            }
        ),
        meta={"csrf": False},
    )
    if not form.validate():
        _fail(*_form_errors(form))
    password = _read_password(form.username.data) if password_stdin else None
    account, password = create_account(
        form.username.data,
        form.full_name.data,
        ROLES_BY_VALUE[form.role.data],
        find_regency(form.regency.data),
        password,
    )
    db.session.commit()
    click.echo(f"Akun «{account.username}» dibuat ({account.role.label}).")
    if not password_stdin:
        _show_issued(password)


@users_group.command("reset-password")
@click.argument("username")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Baca kata sandi baru dari stdin (satu baris). Tanpa ini dibuat kata sandi awal "
    "acak yang wajib diganti saat pertama masuk.",
)
def reset_password_command(username: str, password_stdin: bool) -> None:
    """Atur ulang kata sandi (mis. administrator terakhir lupa kata sandinya).
    Semua sesi akun itu diakhiri."""
    account = db.session.execute(
        db.select(User).filter_by(username=username.lower())
    ).scalar_one_or_none()
    if account is None:
        _fail(f"Akun «{username}» tidak ada.")
    if password_stdin:
        password = _read_password(account.username)
        set_password(account, password, must_change=False)
    else:
        password = issue_new_password(account)
    db.session.commit()
    click.echo(f"Kata sandi akun «{account.username}» diatur ulang; semua sesinya diakhiri.")
    if not password_stdin:
        _show_issued(password)


def _read_password(username: str) -> str:
    stdin = sys.stdin  # click.testing swaps it too, so the CLI tests feed it
    if stdin.isatty():  # typed by hand: do not echo it on the screen
        password = click.prompt(
            "Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi"
        )
    else:
        password = stdin.readline().removesuffix("\n").removesuffix("\r")
    if not password:
        _fail("Kata sandi kosong: berikan satu baris kata sandi lewat stdin.")
    problem = password_problem(password, username)
    if problem:
        _fail(problem)
    return password


def _form_errors(form: NewAccountForm) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        for error in errors:
            if name == "role":
                error = f"{error} Pilihan: {ROLE_LIST}."
            messages.append(f"{OPTION_NAMES.get(name, name)}: {error}")
    return messages


def _show_issued(password: str) -> None:
    click.echo(f"Kata sandi awal (hanya ditampilkan sekali, wajib diganti): {password}")


def _fail(*messages: str) -> NoReturn:
    for message in messages:
        click.echo(f"Gagal: {message}", err=True)
    raise click.exceptions.Exit(1)
