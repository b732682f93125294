"""Checking the data rows of a DIM sheet against the regency being imported
into: its regions, categories and team, loaded once (no query per row)."""

import re
from datetime import date, datetime, time
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from sqlalchemy import select

from phpnet.plugin_api import (
    Desa,
    Kecamatan,
    Regency,
    TeamMember,
    Tps,
    current_team,
    db,
    dotted_code,
)
from plugins.inventory.columns import COLUMN_BY_KEY, header_key
from plugins.inventory.import_sheet import ImportReport
from plugins.inventory.models import (
    Category,
    FollowUp,
    LabelledEnum,
    Level,
    Race,
    RecordForm,
    Stage,
    Status,
)

MAX_TPS_NUMBER = 999
MAX_VOTE_DIFFERENCE = 10_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2099

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*WIB)?", re.IGNORECASE)
_TPS = re.compile(r"(?:TPS\s*)?0*(\d{1,3})", re.IGNORECASE)
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[.\s]\d{3})+")

L = TypeVar("L", bound=LabelledEnum)


# --- checking one row --------------------------------------------------------------


def _plain(value: object) -> str:
    """A cell as text: numbers typed into a text column read as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def _choices(enum_type: type[L]) -> dict[str, L]:
    """Label or stored value, in any case, names a member."""
    found: dict[str, L] = {}
    for member in enum_type:
        found[header_key(member.label)] = member
        found[header_key(member.value)] = member
    return found


class RowChecker:
    """Checks the data rows against the regency's regions, categories and team,
    all loaded once (no query per row)."""

    def __init__(self, regency: Regency, positions: dict[str, int], report: ImportReport) -> None:
        self.regency = regency
        self.positions = positions
        self.report = report
        self.regency_names = dict(
            db.session.execute(select(Regency.code, Regency.name)).tuples().all()
        )
        self.kecamatan = dict(
            db.session.execute(
                select(Kecamatan.code, Kecamatan.id).where(Kecamatan.regency_id == regency.id)
            )
            .tuples()
            .all()
        )
        self.desa = {
            code: (desa_id, kecamatan_id, name)
            for code, desa_id, kecamatan_id, name in db.session.execute(
                select(Desa.code, Desa.id, Desa.kecamatan_id, Desa.name).where(
                    Desa.regency_id == regency.id
                )
            ).tuples()
        }
        self.tps = {
            (desa_id, number): tps_id
            for desa_id, number, tps_id in db.session.execute(
                select(Tps.desa_id, Tps.number, Tps.id).where(Tps.regency_id == regency.id)
            ).tuples()
        }
        self.categories: dict[str, int] = {}
        for name, category_id in db.session.execute(
            select(Category.name, Category.id)
            .where((Category.regency_id == regency.id) | Category.regency_id.is_(None))
            .order_by(Category.regency_id.is_(None), Category.id)  # the regency's own first
        ).tuples():
            self.categories.setdefault(header_key(name), category_id)
        team = current_team(regency.id)
        self.has_team = team is not None
        self.members: dict[str, list[int]] = {}
        if team is not None:
            for name, member_id in db.session.execute(
                select(TeamMember.name, TeamMember.id).where(TeamMember.team_id == team.id)
            ).tuples():
                self.members.setdefault(header_key(name), []).append(member_id)
        self.choices = {
            enum_type: _choices(enum_type)
            for enum_type in (Level, Race, Stage, RecordForm, FollowUp, Status)
        }
        self.row = 0
        self.row_ok = True

    # Each reader returns the value of its column, or None after refusing it.

    def refuse(self, key: str, message: str) -> None:
        column = COLUMN_BY_KEY[key]
        position = self.positions.get(key)
        where = (
            column.header
            if position is None
            else f"{get_column_letter(position + 1)} ({column.header})"
        )
        self.report.refuse(message, self.row, where)
        self.row_ok = False

    def cell(self, cells: list[object], key: str) -> object:
        position = self.positions.get(key)
        return cells[position] if position is not None and position < len(cells) else None

    def check(self, row: int, cells: list[object]) -> None:
        self.row, self.row_ok = row, True
        location = self.location(cells)
        values = {
            "race": self.choice(cells, "race", Race),
            "dapil": self.text(cells, "dapil"),
            "stage": self.choice(cells, "stage", Stage),
            "category_id": self.category(cells),
            "occurred_at": self.moment(cells),
            "description": self.text(cells, "description"),
            "objector": self.text(cells, "objector"),
            "record_form": self.choice(cells, "record_form", RecordForm) or RecordForm.NONE,
            "record_form_number": self.text(cells, "record_form_number"),
            "bawaslu_letter_number": self.text(cells, "bawaslu_letter_number"),
            "bawaslu_letter_date": self.day(cells, "bawaslu_letter_date"),
            "bawaslu_content": self.text(cells, "bawaslu_content"),
            "follow_up": self.choice(cells, "follow_up", FollowUp) or FollowUp.NONE,
            "follow_up_detail": self.text(cells, "follow_up_detail"),
            "follow_up_date": self.day(cells, "follow_up_date"),
            "status": self.choice(cells, "status", Status) or Status.OPEN,
            "vote_difference": self.vote_difference(cells),
            "person_in_charge_id": self.person(cells),
            "notes": self.text(cells, "notes"),
        }
        if self.row_ok and location is not None:
            self.report.rows.append({**location, **values})
            self.report.row_numbers.append(row)

    # --- location

    def location(self, cells: list[object]) -> dict[str, Any] | None:
        """Level and region ids from Kode wilayah, TPS and Tingkat."""
        code = _plain(self.cell(cells, "region_code"))
        tps_text = _plain(self.cell(cells, "tps"))
        stated = self.choice(cells, "level", Level)
        digits = code.replace(".", "").replace(" ", "")
        if code and (not digits.isdigit() or len(digits) not in (4, 6, 10)):
            self.refuse(
                "region_code",
                f"Kode wilayah “{code}” tidak sah (contoh: {self.regency.code} untuk kab/kota, "
                "kode kecamatan seperti 35.07.01, kode desa/kelurahan seperti 35.07.01.2001).",
            )
            return None
        if code and not self.in_regency(code, digits):
            return None
        if tps_text and len(digits) != 10:
            self.refuse("tps", "Nomor TPS hanya dapat diisi bersama kode desa/kelurahan.")
            return None
        found = self.region(code, digits, tps_text)
        if found is None:
            return None
        if stated is not None and stated is not found["level"]:
            self.refuse(
                "level",
                f"Tingkat “{stated.label}” tidak sesuai dengan lokasi: kode wilayah dan nomor TPS "
                f"menunjuk tingkat “{found['level'].label}”.",
            )
            return None
        return found

    def in_regency(self, code: str, digits: str) -> bool:
        own = self.regency.code.replace(".", "")
        if digits[:4] == own:
            return True
        other = self.regency_names.get(dotted_code(digits[:4]))
        where = f"termasuk {other}" if other else "tidak dikenal"
        self.refuse(
            "region_code",
            f"Kode wilayah {code} {where}, bukan {self.regency.name}: lokasi hanya dicari di "
            f"{self.regency.name}.",
        )
        return False

    def region(self, code: str, digits: str, tps_text: str) -> dict[str, Any] | None:
        ids: dict[str, Any] = {"kecamatan_id": None, "desa_id": None, "tps_id": None}
        if len(digits) in (0, 4):
            return {**ids, "level": Level.KABKOTA}
        if len(digits) == 6:
            kecamatan_id = self.kecamatan.get(dotted_code(digits))
            if kecamatan_id is None:
                self.refuse("region_code", f"Kecamatan dengan kode {code} tidak ada.")
                return None
            return {**ids, "level": Level.KECAMATAN, "kecamatan_id": kecamatan_id}
        desa = self.desa.get(dotted_code(digits))
        if desa is None:
            self.refuse("region_code", f"Desa/kelurahan dengan kode {code} tidak ada.")
            return None
        desa_id, kecamatan_id, desa_name = desa
        ids.update(kecamatan_id=kecamatan_id, desa_id=desa_id)
        if not tps_text:
            return {**ids, "level": Level.DESA}
        match = _TPS.fullmatch(tps_text)
        number = int(match.group(1)) if match else 0
        if not 1 <= number <= MAX_TPS_NUMBER:
            self.refuse("tps", f"Nomor TPS “{tps_text}” harus bilangan bulat 1 sampai 999.")
            return None
        tps_id = self.tps.get((desa_id, number))
        if tps_id is None:
            self.refuse(
                "tps",
                f"TPS {number} tidak ada di desa/kelurahan {desa_name} ({dotted_code(digits)}).",
            )
            return None
        return {**ids, "level": Level.TPS, "tps_id": tps_id}

    # --- simple columns

    def text(self, cells: list[object], key: str) -> str | None:
        column = COLUMN_BY_KEY[key]
        text = _plain(self.cell(cells, key))
        if not text:
            if column.required:
                self.refuse(key, "Wajib diisi.")
            return None
        limit = column.max_length
        if limit is not None and len(text) > limit:
            self.refuse(key, f"Terlalu panjang ({len(text)} karakter, maksimal {limit}).")
            return None
        return text

    def choice(self, cells: list[object], key: str, enum_type: type[L]) -> L | None:
        text = _plain(self.cell(cells, key))
        if not text:
            if COLUMN_BY_KEY[key].required:
                self.refuse(key, "Wajib diisi.")
            return None
        member = self.choices[enum_type].get(header_key(text))
        if member is None:
            labels = "; ".join(m.label for m in enum_type)
            self.refuse(key, f"“{text}” tidak dikenal. Pilihan: {labels}.")
        return member

    def category(self, cells: list[object]) -> int | None:
        text = _plain(self.cell(cells, "category"))
        if not text:
            self.refuse("category", "Wajib diisi.")
            return None
        category_id = self.categories.get(header_key(text))
        if category_id is None:
            self.refuse(
                "category",
                f"Kategori “{text}” tidak ada dalam daftar kategori {self.regency.name}.",
            )
        return category_id

    def person(self, cells: list[object]) -> int | None:
        text = _plain(self.cell(cells, "person_in_charge"))
        if not text:
            return None
        found = self.members.get(header_key(text), [])
        if len(found) == 1:
            return found[0]
        if not self.has_team:
            message = f"{self.regency.name} belum punya tim PHP; kosongkan kolom ini."
        elif found:
            message = f"Lebih dari satu anggota tim bernama “{text}”."
        else:
            message = f"“{text}” bukan anggota tim PHP {self.regency.name} yang berlaku."
        self.refuse("person_in_charge", message)
        return None

    def day(self, cells: list[object], key: str) -> date | None:
        value = self.cell(cells, key)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return self.year_checked(key, value)
        text = _plain(value)
        if not text:
            if COLUMN_BY_KEY[key].required:
                self.refuse(key, "Wajib diisi.")
            return None
        parsed = None
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            parsed = _safe_date(year, month, day)
        elif match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            parsed = _safe_date(year, month, day)
        if parsed is None:
            self.refuse(key, f"Tanggal “{text}” tidak sah; tulis seperti 14/02/2024.")
            return None
        return self.year_checked(key, parsed)

    def year_checked(self, key: str, value: date) -> date | None:
        if FIRST_YEAR <= value.year <= LAST_YEAR:
            return value
        self.refuse(key, f"Tahun {value.year} di luar rentang {FIRST_YEAR}–{LAST_YEAR}.")
        return None

    def moment(self, cells: list[object]) -> datetime | None:
        """Tanggal and Jam together; an empty Jam is midnight."""
        day, clock = self.day(cells, "date"), self.clock(cells)
        return None if day is None else datetime.combine(day, clock or time(0, 0))

    def clock(self, cells: list[object]) -> time | None:
        value = self.cell(cells, "time")
        if isinstance(value, datetime):
            value = value.time()
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        text = _plain(value)
        if not text:
            return None
        match = _CLOCK.fullmatch(text)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return time(int(match.group(1)), int(match.group(2)))
        self.refuse("time", f"Jam “{text}” tidak sah; tulis seperti 10:30 atau 10.30.")
        return None

    def vote_difference(self, cells: list[object]) -> int | None:
        text = _plain(self.cell(cells, "vote_difference"))
        if not text:
            return None
        digits = text.removeprefix("-").strip()
        if _GROUPED_NUMBER.fullmatch(digits):  # 1.250: Indonesian thousands
            digits = re.sub(r"\D", "", digits)
        if not digits.isascii() or not digits.isdigit():
            self.refuse("vote_difference", f"Selisih suara “{text}” harus bilangan bulat.")
            return None
        if text.startswith("-") and int(digits):
            self.refuse("vote_difference", "Selisih suara tidak boleh negatif.")
            return None
        if int(digits) > MAX_VOTE_DIFFERENCE:
            self.refuse("vote_difference", f"Selisih suara {text} terlalu besar.")
            return None
        return int(digits)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
