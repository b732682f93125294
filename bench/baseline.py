"""The benchmark's baseline page: logged in, rendered from base.html, no
database work of its own. It exists only in the benchmark's WSGI module
(bench/wsgi_bench.py), never in phpnet.

``?rows=N`` sets the size: the runner picks N so that the page weighs about
as much as the DIM list it is compared with."""

from pathlib import Path

from flask import Blueprint, render_template, request
from flask_login import login_required

bp = Blueprint("bench_baseline", __name__, template_folder=str(Path(__file__).parent / "templates"))

ROWS = [
    {
        "number": number,
        "moment": f"{14 + number % 10:02d}/02/2024 {8 + number % 12:02d}.{number % 60:02d}",
        "place": f"Kec. Kepanjen · Ds. Sukoharjo · TPS {number % 40 + 1:03d}",
        "race": "DPRD Kabupaten/Kota",
        "stage": "Penghitungan suara",
        "category": "C.Hasil plano dan salinan berbeda",
        "text": "Saksi menyampaikan keberatan karena perolehan suara pada C.Hasil plano "
        "berbeda dengan salinan yang diterima saksi.",
        "status": "Belum ditindaklanjuti",
    }
    for number in range(1, 501)
]
MAX_ROWS = len(ROWS)


@bp.route("/bench/baseline")
@login_required
def baseline() -> str:
    rows = min(max(request.args.get("rows", 25, type=int), 0), MAX_ROWS)
    return render_template("bench_baseline.html", rows=ROWS[:rows])
