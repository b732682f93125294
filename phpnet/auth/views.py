"""Login, logout and the password-change page."""

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from phpnet.audit.service import record
from phpnet.auth import sessions, throttle
from phpnet.auth.forms import LoginForm, PasswordChangeForm
from phpnet.auth.models import User
from phpnet.auth.passwords import (
    INITIAL_PASSWORD_LIFETIME,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from phpnet.extensions import db
from phpnet.htmx import is_htmx, render, render_invalid
from phpnet.security import safe_next
from phpnet.timeutil import utcnow

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Nama pengguna atau kata sandi salah."
ISSUED_LOGIN_EXPIRED = (
    "Kata sandi awal ini sudah kedaluwarsa. Minta administrator mengatur ulang kata sandi Anda."
)


def _throttled_message() -> str:
    minutes = int(current_app.config["LOGIN_THROTTLE_WINDOW"].total_seconds() // 60)
    return f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit."


def _find_user(username: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(username=username.lower())
    ).scalar_one_or_none()


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("regions.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render("auth/login.html", form=form, status=status)
    username = form.username.data.lower()
    ip_address = request.remote_addr or "-"
    if throttle.is_throttled(username, ip_address):
        form.password.errors.append(_throttled_message())
        return render("auth/login.html", form=form, status=429)
    user = _find_user(username)
    # The hash is verified even for unknown users: same answer, same time.
    valid = verify_password(user.password_hash if user else None, form.password.data)
    if not valid or user is None or not user.is_active:
        throttle.note_attempt(username, ip_address, succeeded=False)
        record("login_failed", "user_account", after={"username": username})
        db.session.commit()
        form.password.errors.append(LOGIN_FAILED)
        return render_invalid("auth/login.html", form=form)
    if _initial_password_expired(user):
        # Said only to someone who knows the password, so it reveals nothing.
        form.password.errors.append(ISSUED_LOGIN_EXPIRED)
        return render_invalid("auth/login.html", form=form)
    return _log_in(user, form.password.data, ip_address)


def _initial_password_expired(user: User) -> bool:
    return user.must_change_password and (
        utcnow() - user.password_changed_at > INITIAL_PASSWORD_LIFETIME
    )


def _log_in(user: User, password: str, ip_address: str) -> Any:
    next_url = safe_next(request.args.get("next"))
    session.clear()  # a new session: nothing from before login survives (fixation)
    g.audit_actor = user
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    sessions.start_session(user)
    throttle.note_attempt(user.username, ip_address, succeeded=True)
    record("login", "user_account", object_id=user.id, regency_id=user.regency_id)
    db.session.commit()
    sessions.mark_seen()
    login_user(user)
    if user.must_change_password:
        flash("Silakan ganti kata sandi awal Anda sebelum melanjutkan.", "warning")
        return redirect(url_for("auth.change_password"))
    return redirect(next_url or url_for("regions.home"))


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        sessions.revoke(current_user.session_token)
        record(
            "logout", "user_account", object_id=current_user.id, regency_id=current_user.regency_id
        )
        db.session.commit()
    logout_user()
    session.clear()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_invalid("auth/password.html", form=form)
        return render("auth/password.html", form=form)
    user: User = current_user._get_current_object()
    if not verify_password(user.password_hash, form.current_password.data):
        form.current_password.errors.append("Kata sandi saat ini salah.")
        return render_invalid("auth/password.html", form=form)
    problem = password_problem(form.new_password.data, user.username)
    if problem is None and form.new_password.data == form.current_password.data:
        problem = "Kata sandi baru harus berbeda dari yang lama."
    if problem:
        form.new_password.errors.append(problem)
        return render_invalid("auth/password.html", form=form)
    user.password_hash = hash_password(form.new_password.data)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    sessions.revoke_all(user)  # every other browser must log in again
    sessions.start_session(user)
    db.session.commit()
    login_user(user)
    flash("Kata sandi berhasil diganti.", "success")
    return redirect(url_for("regions.home"), 303)


PASSWORD_CHANGE_EXEMPT = frozenset(
    {"auth.change_password", "auth.logout", "static", "health.healthz"}
)


def enforce_password_change() -> Any:
    """Before-request: an account with an admin-issued password may do nothing
    until it has chosen its own (ASVS 6.4.1)."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
    ):
        target = url_for("auth.change_password")
        if is_htmx():
            # Not a 3xx: the browser would follow it inside the XHR and htmx
            # would never see the header (it would swap the form into a card).
            response = make_response("", 403)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)
    return None
