"""The benchmark run behind ``bench/run``: phpnet under gunicorn beside its
baseline and its peers, measured with wrk in interleaved rounds, then the
batch jobs against their floors. Prints a markdown report, saves it under
bench/results/, and ends with one line of the key ratios against issue 5."""

import argparse
import http.cookiejar
import json
import math
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = BENCH / ".venv" / "bin"
RESULTS = BENCH / "results"
LOGS = BENCH / "out" / "logs"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402 - bench/ is not a package

WORKERS = 2  # as on the office server
PAGE_SIZE = 50  # the same page size for phpnet and its peers
FILTER_STATUS = "belum"
FRAGMENT_STAGE = "penghitungan"
# The columns the DIM list shows, for the peers' pages.
LIST_COLUMNS = (
    "occurred_at", "kecamatan_id", "desa_id", "tps_id", "race", "dapil", "stage", "category_id",
    "description", "status", "person_in_charge_id",
)  # fmt: skip


# --- servers ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    ready_path: str
    cwd: Path = ROOT
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = (LOGS / f"{self.name}.log").open("w")
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        self.process = subprocess.Popen(
            command, cwd=self.cwd, env={**os.environ, **self.env}, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited; see {LOGS / self.name}.log")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer on {self.base}{self.ready_path}")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (the master's children), or the process itself."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(p) for p in children.read_text().split()] if children.exists() else []
        return pids or [self.process.pid]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def gunicorn(name: str, app: str, cwd: Path, env: dict[str, str], ready: str) -> Server:
    command = [
        str(VENV_BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", "127.0.0.1:{port}",
        "--log-level", "warning", app,
    ]  # fmt: skip
    return Server(name, command, env, ready, cwd=cwd)


def phpnet_server(name: str, instance: Path) -> Server:
    env = {"PHPNET_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT)}
    return gunicorn(name, "wsgi_bench:app", BENCH, env, "/healthz")


# --- HTTP ------------------------------------------------------------------------


class Client:
    """A logged-in browser: the session cookie phpnet set at login."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def login(self, username: str, password: str) -> None:
        page = self.get("/login")[1].decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )
        if token is None:
            raise SystemExit("login page has no csrf_token field")
        form = {"csrf_token": token.group(1), "username": username, "password": password}
        data = urllib.parse.urlencode(form).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=30) as answer:
            if "/login" in answer.url:
                raise SystemExit(f"login as {username} failed on {self.base}")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


# --- wrk -------------------------------------------------------------------------


@dataclass
class Target:
    key: str
    label: str
    base: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "phpnet"  # "phpnet" | "peer" | "size"
    status: int = 0
    body_bytes: int = 0
    rounds: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.base + self.path

    @property
    def available(self) -> bool:
        return self.status == 200

    @property
    def rps(self) -> float:
        seconds = sum(r["duration_us"] for r in self.rounds) / 1e6
        return sum(r["requests"] for r in self.rounds) / seconds if seconds else float("nan")

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.rounds) / 1000 if self.rounds else math.nan

    @property
    def failures(self) -> str:
        """Answers other than 2xx/3xx, and timeouts or socket errors."""
        non_2xx = sum(r["non_2xx"] for r in self.rounds)
        return f"{non_2xx}/{sum(r['socket_errors'] for r in self.rounds)}"


def wrk(target: Target, seconds: int, connections: int) -> dict[str, Any]:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
        "-s", str(BENCH / "report.lua"), target.url,
    ]  # fmt: skip
    for name, value in target.headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH-JSON "))
    return json.loads(line.removeprefix("BENCH-JSON "))


# Targets whose ratios are the list's targets run back to back in every round,
# so that a change in the load of the shared machine hits both sides alike.
COMPARED = ("baseline", "list", "flask_admin", "datasette", "fragment")


def measure(targets: list[Target], rounds: int, seconds: int, connections: int) -> None:
    """Rounds that cycle through every target, each round starting one
    target later, so that drift of the machine spreads over all of them; the
    compared targets move through the rounds as one block."""
    live = [t for t in targets if t.available]
    block = [t for key in COMPARED for t in live if t.key == key]
    units = [block, *([t] for t in live if t not in block)]
    for number in range(rounds):
        shift = number % len(units)
        for target in [t for unit in units[shift:] + units[:shift] for t in unit]:
            target.rounds.append(wrk(target, seconds, connections))
        print(f"  round {number + 1}/{rounds} done", file=sys.stderr)


def warm_up(targets: list[Target], quick: bool) -> None:
    for target in targets:
        if not target.available:
            continue
        if quick:
            for _ in range(6):  # every worker compiles its templates once
                urllib.request.urlopen(
                    urllib.request.Request(target.url, headers=target.headers), timeout=60
                ).read()
        else:
            wrk(target, 1, 4)


# --- the run ---------------------------------------------------------------------


@dataclass
class DatasetFacts:
    regency_id: int
    list_count: int
    detail_id: int

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.list_count / PAGE_SIZE))


def dataset_facts(database: Path) -> DatasetFacts:
    """The bench regency's id, the size of the filtered list, and an entry
    with evidence to open (read straight from the file)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        code = generate.BENCH_REGENCY
        (regency_id,) = connection.execute(
            "SELECT id FROM regency WHERE code = ?", (f"{code[:2]}.{code[2:]}",)
        ).fetchone()
        (count,) = connection.execute(
            "SELECT count(*) FROM inventory_entry WHERE regency_id = ? AND status = ? "
            "AND deleted_at IS NULL",
            (regency_id, FILTER_STATUS),
        ).fetchone()
        (detail_id,) = connection.execute(
            "SELECT e.id FROM inventory_entry e JOIN inventory_evidence v ON v.entry_id = e.id "
            "WHERE e.regency_id = ? AND e.status != 'belum' ORDER BY e.id LIMIT 1",
            (regency_id,),
        ).fetchone()
    return DatasetFacts(regency_id, count, detail_id)


def list_path(facts: DatasetFacts, **extra: object) -> str:
    args = {"status": FILTER_STATUS, "per_page": PAGE_SIZE, **extra}
    return f"/r/{generate.BENCH_REGENCY}/inventory/?{urllib.parse.urlencode(args)}"


def phpnet_targets(
    base: str, facts: DatasetFacts, operator: Client, province: Client
) -> list[Target]:
    regency = generate.BENCH_REGENCY
    as_operator = {"Cookie": operator.cookie}
    # What htmx sends when the stage select of the filter form changes.
    htmx = {
        **as_operator, "HX-Request": "true", "HX-Trigger-Name": "stage",
        "HX-Target": "inventory-results", "HX-Current-URL": base + list_path(facts),
    }  # fmt: skip
    return [
        Target(
            "baseline", "Baseline (base.html, no DB work)", base, "/bench/baseline", as_operator
        ),
        Target("login", "Login page (anonymous)", base, "/login"),
        Target(
            "dashboard", f"Regency dashboard /r/{regency}/", base, f"/r/{regency}/", as_operator
        ),
        Target("list", "DIM list, filtered, page 1", base, list_path(facts), as_operator),
        Target(
            "deep",
            f"DIM list, filtered, last page ({facts.last_page})",
            base,
            list_path(facts, page=facts.last_page),
            as_operator,
        ),
        Target(
            "fragment",
            "DIM list, htmx fragment (filter change)",
            base,
            list_path(facts, stage=FRAGMENT_STAGE),
            htmx,
        ),
        Target(
            "detail",
            "DIM detail page",
            base,
            f"/r/{regency}/inventory/{facts.detail_id}",
            as_operator,
        ),
        Target("province", "Province overview /", base, "/", {"Cookie": province.cookie}),
        Target(
            "province_dim",
            "DIM province view",
            base,
            "/provinsi/inventory/",
            {"Cookie": province.cookie},
        ),
        Target(
            "province_dashboard",
            "Province dashboard /provinsi/",
            base,
            "/provinsi/",
            {"Cookie": province.cookie},
        ),
        Target(
            "readiness_matrix",
            "Readiness matrix, 38 regencies, worst first",
            base,
            "/provinsi/kesiapan?urut=terburuk",
            {"Cookie": province.cookie},
        ),
    ]


def peer_targets(datasette: Server, flask_admin: Server, facts: DatasetFacts) -> list[Target]:
    datasette_args = [
        ("regency_id", facts.regency_id), ("status", FILTER_STATUS), ("deleted_at__isnull", 1),
        ("_sort_desc", "occurred_at"), ("_size", PAGE_SIZE),
        *(("_col", column) for column in LIST_COLUMNS),
    ]  # fmt: skip
    admin_args = {  # Flask-Admin filters enums by member name
        "flt0_regency_id_equals": facts.regency_id, "flt1_status_equals": "OPEN",
        "flt2_deleted_at_empty": 1,
    }  # fmt: skip
    return [
        Target(
            "datasette",
            "Peer: Datasette table page, same filter",
            datasette.base,
            f"/phpnet/inventory_entry?{urllib.parse.urlencode(datasette_args)}",
            kind="peer",
        ),
        Target(
            "flask_admin",
            "Peer: Flask-Admin list view, same filter",
            flask_admin.base,
            f"/admin/entry/?{urllib.parse.urlencode(admin_args)}",
            kind="peer",
        ),
    ]


def check(targets: list[Target]) -> None:
    for target in targets:
        request = urllib.request.Request(target.url, headers=target.headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                target.status, body = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            target.status, body = error.code, error.read()
        target.body_bytes = len(body)
        if not target.available:
            print(f"  skip {target.key}: HTTP {target.status} for {target.path}", file=sys.stderr)


def calibrate_baseline(baseline: Target, reference: Target, client: Client) -> None:
    """Give the baseline page as many rows as make it weigh like the DIM list."""
    if not reference.available:
        return
    small = len(client.get("/bench/baseline?rows=0")[1])
    large = len(client.get("/bench/baseline?rows=100")[1])
    rows = round((reference.body_bytes - small) / ((large - small) / 100))
    baseline.path = f"/bench/baseline?rows={max(0, min(rows, 500))}"


@dataclass
class Run:
    args: argparse.Namespace
    servers: list[Server] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    memory: dict[str, list[float]] = field(default_factory=dict)
    batch: dict[str, Any] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)

    def start(self, server: Server) -> Server:
        self.servers.append(server)
        server.start()
        return server

    def stop_all(self) -> None:
        for server in reversed(self.servers):
            server.stop()


def serve_and_measure(run: Run) -> None:
    args = run.args
    instance = generate.generate(args.entries)
    database = instance / generate.DATABASE_NAME
    run.dataset = json.loads((instance / "generated.json").read_text())
    facts = dataset_facts(database)
    phpnet = run.start(phpnet_server("phpnet", instance))
    datasette = run.start(
        Server(
            "datasette",
            # Facet suggestions off: the DIM list suggests none either.
            [str(VENV_BIN / "datasette"), "serve", str(database), "--port", "{port}",
             "--host", "127.0.0.1", "--setting", "suggest_facets", "off"],
            {}, "/-/versions.json",
        )
    )  # fmt: skip
    flask_admin = run.start(
        gunicorn(
            "flask_admin", "flask_admin_app:app", BENCH / "peers",
            {"PHPNET_DATABASE_FILE": str(database), "PYTHONPATH": str(ROOT)}, "/admin/",
        )
    )  # fmt: skip
    sized = {size: run.start(phpnet_server(f"phpnet-{size}", generate.generate(size)))
             for size in args.sizes}  # fmt: skip
    for server in run.servers:
        server.wait_ready()
    operator, province = Client(phpnet.base), Client(phpnet.base)
    operator.login(generate.OPERATOR, generate.PASSWORD)
    province.login(generate.PROVINCE_USER, generate.PASSWORD)
    run.targets = phpnet_targets(phpnet.base, facts, operator, province)
    run.targets += peer_targets(datasette, flask_admin, facts)
    for size, server in sized.items():
        client = Client(server.base)
        client.login(generate.OPERATOR, generate.PASSWORD)
        size_facts = dataset_facts(generate.OUT / f"instance-{size}" / generate.DATABASE_NAME)
        run.targets.append(
            Target(
                f"list@{size}", f"DIM list, filtered, page 1, at {size:,} entries", server.base,
                list_path(size_facts), {"Cookie": client.cookie}, kind="size",
            )
        )  # fmt: skip
    check(run.targets)
    targets = {t.key: t for t in run.targets}
    calibrate_baseline(targets["baseline"], targets["list"], operator)
    check([targets["baseline"]])
    print("warming up", file=sys.stderr)
    warm_up(run.targets, args.quick)
    print(f"measuring: {args.rounds} rounds x {args.seconds} s per target", file=sys.stderr)
    measure(run.targets, args.rounds, args.seconds, args.connections)
    for server in run.servers:
        run.memory[server.name] = [peak_rss_mb(pid) for pid in server.worker_pids()]


def run_batch(run: Run) -> None:
    command = [
        str(VENV_BIN / "python"),
        str(BENCH / "batch.py"),
        "--entries",
        str(run.args.entries),
    ]
    if run.args.quick:
        command.append("--quick")
    print("batch jobs", file=sys.stderr)
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    (LOGS / "batch.log").write_text(result.stderr)
    if result.returncode != 0:
        run.batch = {"error": result.stderr.strip().splitlines()[-1:]}
        return
    run.batch = json.loads(result.stdout.strip().splitlines()[-1])


# --- the report ------------------------------------------------------------------


def shell(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT).stdout.strip()


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        "unknown CPU",
    )  # fmt: skip
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores, {memory_kb / 2**20:.1f} GiB RAM, {cpu}"


def commit() -> str:
    head = shell("git", "rev-parse", "--short=10", "HEAD")
    dirty = shell("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench")
    return head + ("-dirty" if dirty else "")


def number(value: float, digits: int = 0) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**MISSED**")


@dataclass
class Goal:
    label: str
    short: str
    value: float
    goal: str
    test: Callable[[float], bool]

    @property
    def met(self) -> bool | None:
        return None if math.isnan(self.value) else self.test(self.value)


def goals(run: Run) -> list[Goal]:
    t = {x.key: x for x in run.targets if x.rounds}
    nan = float("nan")

    def ratio(a: str, b: str, attribute: str = "rps") -> float:
        if a not in t or b not in t:
            return nan
        if attribute == "rps":
            return t[a].rps / t[b].rps
        return t[a].median("p99_us") / t[b].median("p99_us")

    sizes = sorted(k for k in t if k.startswith("list@"))
    size_ratio = t[sizes[-1]].rps / t[sizes[0]].rps if len(sizes) >= 2 else nan
    batch = run.batch
    worst_worker = max(run.memory.get("phpnet", [nan]))
    return [
        Goal(
            "DIM list req/s vs baseline",
            "list/baseline",
            ratio("list", "baseline"),
            ">= 0.40",
            lambda v: v >= 0.4,
        ),
        Goal(
            "htmx fragment req/s vs baseline",
            "fragment/baseline",
            ratio("fragment", "baseline"),
            ">= 0.50",
            lambda v: v >= 0.5,
        ),
        Goal(
            "DIM list p99 vs baseline p99",
            "list p99/baseline",
            ratio("list", "baseline", "p99"),
            "<= 4",
            lambda v: v <= 4,
        ),
        Goal(
            "htmx fragment p99 vs baseline p99",
            "fragment p99/baseline",
            ratio("fragment", "baseline", "p99"),
            "<= 4",
            lambda v: v <= 4,
        ),
        Goal(
            "DIM list vs Flask-Admin req/s",
            "list/Flask-Admin",
            ratio("list", "flask_admin"),
            ">= 1.5",
            lambda v: v >= 1.5,
        ),
        Goal(
            "DIM list vs Datasette req/s",
            "list/Datasette",
            ratio("list", "datasette"),
            ">= 1.0",
            lambda v: v >= 1.0,
        ),
        Goal(
            "DIM list at " + (f"{sizes[-1][5:]} vs {sizes[0][5:]}" if sizes else "big vs small"),
            "list big/small",
            size_ratio,
            ">= 0.8",
            lambda v: v >= 0.8,
        ),
        Goal(
            "TPS import vs executemany floor",
            "TPS import/floor",
            batch.get("tps_ratio", nan),
            "<= 3",
            lambda v: v <= 3,
        ),
        Goal(
            "XLSX export vs openpyxl write-only",
            "XLSX export/floor",
            batch.get("export_ratio", nan),
            "<= 1.5",
            lambda v: v <= 1.5,
        ),
        Goal(
            "peak RSS per phpnet worker (MB)", "worker MB", worst_worker, "< 150", lambda v: v < 150
        ),
    ]


def report(run: Run) -> str:
    args = run.args
    baseline = next((t for t in run.targets if t.key == "baseline" and t.rounds), None)
    lines = [
        f"# phpnet benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}",
        "",
        f"- Machine: {machine()}",
        f"- Data: {args.entries:,} DIM entries ({run.dataset.get('audit', 0):,} audit rows, "
        f"{run.dataset.get('documents', 0):,} evidence documents), 38 kab/kota, 666 kecamatan, "
        f"8,494 desa, 120,666 TPS, ~400 users; seed {generate.SEED}"
        + (f"; size comparison at {', '.join(f'{s:,}' for s in args.sizes)}" if args.sizes else ""),
        f"- Load: gunicorn {WORKERS} sync workers; wrk -t2 -c{args.connections}, {args.rounds} "
        f"interleaved rounds x {args.seconds} s per target{' (--quick)' if args.quick else ''}; "
        f"list filter status={FILTER_STATUS}, {PAGE_SIZE} per page, Kab. Malang",
        "",
        "| Page | req/s | p50 ms | p99 ms | KB/response | req/s vs baseline | p99 vs baseline "
        "| non-2xx/timeouts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in run.targets:
        if not target.rounds:
            lines.append(f"| {target.label} | not measured: HTTP {target.status} | | | | | | |")
            continue
        vs = target.rps / baseline.rps if baseline else math.nan
        p99_vs = target.median("p99_us") / baseline.median("p99_us") if baseline else math.nan
        lines.append(
            f"| {target.label} | {number(target.rps)} | {number(target.median('p50_us'), 1)} | "
            f"{number(target.median('p99_us'), 1)} | {number(target.body_bytes / 1024, 1)} | "
            f"{number(vs, 2)} | {number(p99_vs, 2)} | {target.failures} |"
        )
    lines += ["", "| Server | peak RSS per worker (VmHWM) |", "| --- | --- |"]
    for name, values in run.memory.items():
        lines.append(f"| {name} | {', '.join(f'{v:.0f} MB' for v in values)} |")
    lines += [
        "",
        "| Batch job | phpnet s | floor s | ratio | floor |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for job in run.batch.get("jobs", []):
        lines.append(
            f"| {job['label']} | {number(job['seconds'], 2)} "
            f"| {number(job.get('floor', math.nan), 2)} | {number(job.get('ratio', math.nan), 2)} "
            f"| {job.get('floor_label', '–')} |"
        )
    if "error" in run.batch:
        lines.append(f"| batch jobs failed: {' '.join(run.batch['error'])} | | | | |")
    checks = goals(run)
    lines += ["", "| Target (issue 5) | measured | goal | |", "| --- | ---: | --- | --- |"]
    for goal in checks:
        lines.append(
            f"| {goal.label} | {number(goal.value, 2)} | {goal.goal} | {verdict(goal.met)} |"
        )
    measured = [g for g in checks if g.met is not None]
    missed = [g for g in measured if not g.met]
    summary = "; ".join(
        f"{g.short} {number(g.value, 2)}{'' if g.met else ' MISSED'}" for g in measured
    )
    lines += ["", f"SUMMARY {len(measured) - len(missed)}/{len(measured)} measured targets met"
              f" ({len(checks) - len(measured)} not measured): {summary}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def save(text: str, quick: bool) -> Path:
    RESULTS.mkdir(exist_ok=True)
    name = f"{datetime.now(UTC):%Y-%m-%d}-{commit()}{'-quick' if quick else ''}.md"
    path = RESULTS / name
    path.write_text(text)
    return path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 entries, short rounds")
    parser.add_argument("--entries", type=int, help="DIM entries (default 50,000; quick 5,000)")
    parser.add_argument(
        "--sizes", help="entry counts to compare the DIM list at (default 5000,500000)"
    )
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args()
    args.entries = args.entries or (5_000 if args.quick else 50_000)
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.seconds = args.seconds or (1 if args.quick else 4)
    sizes = args.sizes if args.sizes is not None else ("" if args.quick else "5000,500000")
    args.sizes = [int(s) for s in sizes.split(",") if s]
    return args


def main() -> None:
    run = Run(parse_args())
    try:
        serve_and_measure(run)
    finally:
        run.stop_all()
    if not run.args.no_batch:
        run_batch(run)
    text = report(run)
    path = save(text, run.args.quick)
    print(text.rstrip("\n").rsplit("\n", 1)[0])
    print(f"(saved to {path.relative_to(ROOT)})")
    print(text.rstrip("\n").rsplit("\n", 1)[1])


if __name__ == "__main__":
    main()
