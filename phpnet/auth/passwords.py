"""Password hashing (argon2id at ASVS parameters) and the password policy.

Policy (ASVS 6.2): at least PASSWORD_MIN_LENGTH characters, up to 128, no
composition rules, and not one of the 19,640 most common passwords."""

import gzip
import secrets
from datetime import timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MAX_LENGTH = 128
# ASVS 6.4.1: a password the admin issued (new account, reset) must be changed
# soon; after this long it no longer opens the account and needs a new reset.
INITIAL_PASSWORD_LIFETIME = timedelta(days=7)
# ASVS 5.0 appendix C: argon2id, 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A hash to verify against when the account does not exist, so that an
# unknown username costs the same time as a wrong password.
_DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines)


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is not acceptable, in Indonesian, or None if it is."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Kata sandi minimal {minimum} karakter."
    if len(password) > MAX_LENGTH:
        return f"Kata sandi maksimal {MAX_LENGTH} karakter."
    if password.strip().lower() in _common_passwords():
        return "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."
    if username and username.lower() in password.lower():
        return "Kata sandi tidak boleh memuat nama pengguna."
    return None


def generate_password() -> str:
    """A random initial password for an account the admin creates or resets."""
    return secrets.token_urlsafe(12)
