"""Admin pages for accounts: the list, creating, editing, disabling and
resetting passwords. Only administrators come here; every change is audited
by the ORM listener (the password hash is excluded from the log)."""

from typing import Any

from flask import Blueprint, abort, flash, request
from flask_login import current_user
from sqlalchemy import Select, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from phpnet.access import roles_required
from phpnet.auth.models import Role, User
from phpnet.auth.passwords import INITIAL_PASSWORD_LIFETIME
from phpnet.extensions import db
from phpnet.htmx import done, render, render_invalid
from phpnet.kit.pages import Page, paginate
from phpnet.users.forms import (
    ROLES_BY_VALUE,
    AccountForm,
    NewAccountForm,
    UserFilterForm,
    find_regency,
)
from phpnet.users.service import create_account, issue_new_password, set_active, update_account

bp = Blueprint("users", __name__)

TABLE_TARGET = "user-table"
STATUS_FILTER = {"aktif": True, "nonaktif": False}
SELF_DEMOTE = "Anda tidak dapat mengubah peran akun Anda sendiri; minta administrator lain."
SELF_DISABLE = "Anda tidak dapat menonaktifkan akun Anda sendiri; minta administrator lain."
SELF_RESET = "Untuk akun Anda sendiri, gunakan halaman Ganti kata sandi."


@bp.get("/admin/pengguna")
@roles_required(Role.ADMIN)
def index() -> Any:
    filters = UserFilterForm(formdata=request.args)
    query, active_filters = _filtered(filters)
    page = _page(query, request.args.get("page", 1, type=int))
    # The search box asks for the table only; anything else gets the page.
    block = "user_table" if request.headers.get("HX-Target") == TABLE_TARGET else "content"
    return render(
        "users/index.html", block=block, filters=filters, page=page, active_filters=active_filters
    )


def _filtered(filters: UserFilterForm) -> tuple[Select[tuple[User]], dict[str, str]]:
    """The accounts query narrowed by the valid filters (invalid ones are
    ignored), and those filters for the pagination links."""
    query = db.select(User)
    active: dict[str, str] = {}
    text = (filters.q.data or "")[:200]
    if text:
        query = query.where(
            or_(
                User.username.icontains(text, autoescape=True),
                User.full_name.icontains(text, autoescape=True),
            )
        )
        active["q"] = text
    role = ROLES_BY_VALUE.get(filters.role.data or "")
    if role is not None:
        query = query.where(User.role == role)
        active["role"] = role.value
    regency = find_regency(filters.regency.data)
    if regency is not None:
        query = query.where(User.regency_id == regency.id)
        active["regency"] = regency.slug
    status = STATUS_FILTER.get(filters.status.data or "")
    if status is not None:
        query = query.where(User.is_active.is_(status))
        active["status"] = filters.status.data
    return query, active


def _page(query: Select[tuple[User]], requested: int) -> Page:
    return paginate(query.options(joinedload(User.regency)).order_by(User.username), requested)


@bp.route("/admin/pengguna/baru", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create() -> Any:
    form = NewAccountForm()
    if not form.validate_on_submit():
        return render("users/new.html", form=form, status=422 if request.method == "POST" else 200)
    account, password = create_account(
        form.username.data,
        form.full_name.data,
        ROLES_BY_VALUE[form.role.data],
        find_regency(form.regency.data),
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same username, created a moment ago elsewhere
        db.session.rollback()
        form.username.errors.append(f"Nama pengguna «{form.username.data}» sudah dipakai.")
        return render_invalid("users/new.html", form=form)
    return _show_issued(account, password, created=True)


@bp.route("/admin/pengguna/<int:user_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(user_id: int) -> Any:
    account = _account_or_404(user_id)
    form = AccountForm(data=_form_data(account))
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render("users/edit.html", form=form, account=account, status=status)
    role = ROLES_BY_VALUE[form.role.data]
    if account.id == current_user.id and role is not Role.ADMIN:
        form.role.errors.append(SELF_DEMOTE)
        return render_invalid("users/edit.html", form=form, account=account)
    update_account(account, form.full_name.data, role, find_regency(form.regency.data))
    db.session.commit()
    flash(f"Perubahan akun «{account.username}» disimpan.", "success")
    return done("users.index")


@bp.post("/admin/pengguna/<int:user_id>/nonaktifkan")
@roles_required(Role.ADMIN)
def disable(user_id: int) -> Any:
    account = _account_or_404(user_id)
    if account.id == current_user.id:
        return _refuse(account, SELF_DISABLE)
    set_active(account, False)
    db.session.commit()
    flash(f"Akun «{account.username}» dinonaktifkan; semua sesinya sudah diakhiri.", "success")
    return done("users.edit", user_id=account.id)


@bp.post("/admin/pengguna/<int:user_id>/aktifkan")
@roles_required(Role.ADMIN)
def enable(user_id: int) -> Any:
    account = _account_or_404(user_id)
    set_active(account, True)
    db.session.commit()
    flash(f"Akun «{account.username}» diaktifkan kembali.", "success")
    return done("users.edit", user_id=account.id)


@bp.post("/admin/pengguna/<int:user_id>/reset-sandi")
@roles_required(Role.ADMIN)
def reset_password(user_id: int) -> Any:
    account = _account_or_404(user_id)
    if account.id == current_user.id:
        return _refuse(account, SELF_RESET)
    password = issue_new_password(account)
    db.session.commit()
    return _show_issued(account, password, created=False)


def _show_issued(account: User, password: str, created: bool) -> Any:
    """The issued password, in this response only: never stored in readable
    form, never put in a URL or a flash message (no-store is set app-wide)."""
    return render(
        "users/issued.html",
        account=account,
        password=password,
        created=created,
        lifetime_days=INITIAL_PASSWORD_LIFETIME.days,
    )


def _account_or_404(user_id: int) -> User:
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    return account


def _form_data(account: User) -> dict[str, str]:
    return {
        "full_name": account.full_name,
        "role": account.role.value,
        "regency": account.regency.slug if account.regency else "",
    }


def _refuse(account: User, message: str) -> Any:
    """The edit page again, with why the action was refused (409)."""
    form = AccountForm(formdata=None, data=_form_data(account))
    return render("users/edit.html", form=form, account=account, problem=message, status=409)
