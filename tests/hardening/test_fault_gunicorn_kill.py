"""kill -9 of gunicorn workers in the middle of a stream of writes through
HTTP (security.md R1): every write the server acknowledged is there
afterwards, the database passes its integrity and foreign-key checks, and
every stored member has exactly one audit entry of its creation."""

import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from phpnet import create_app
from phpnet.extensions import db
from phpnet.testing import PASSWORD, REGENCY_A
from tests.hardening.conftest import csrf_token_from, make_team

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
WRITES_PER_WRITER = 60
KILLS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A logged-in HTTP client with its own cookies and CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.token = ""

    def log_in(self, username: str) -> None:
        page = self.opener.open(f"{self.base}/login", timeout=10).read().decode()
        form = {"username": username, "password": PASSWORD, "csrf_token": csrf_token_from(page)}
        self.opener.open(f"{self.base}/login", urllib.parse.urlencode(form).encode(), timeout=30)
        page = self.opener.open(f"{self.base}/akun/sandi", timeout=10).read().decode()
        self.token = csrf_token_from(page)

    def post(self, path: str, form: dict[str, str]) -> int:
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"{self.base}{path}",
            data=urllib.parse.urlencode(form).encode(),
            headers={"HX-Request": "true", "X-CSRFToken": self.token},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class Server:
    def __init__(self, database_uri: str, instance: Path) -> None:
        self.port = free_port()
        self.pidfile = instance / "gunicorn.pid"
        environment = {
            **os.environ,
            "PHPNET_INSTANCE_PATH": str(instance),
            "PHPNET_DATABASE_URL": database_uri,
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--pid",
                str(self.pidfile),
                "--graceful-timeout",
                "2",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self._wait_until_serving()

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).read()  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def test_acknowledged_writes_survive_workers_killed_mid_stream(test_database, tmp_path):
    test_database.reset()
    setup = create_app({"SQLALCHEMY_DATABASE_URI": test_database.uri, "TESTING": True,
                        "SECRET_KEY": "x" * 32, "PHPNET_LOAD_ENTRYPOINTS": False})  # fmt: skip
    with setup.app_context():
        team = make_team(REGENCY_A)
        db.engine.dispose()
    server = Server(test_database.uri, tmp_path)
    acknowledged: list[str] = []
    outcomes: list[int] = []
    kills: list[int] = []
    try:
        writers = []
        for number in range(WRITERS):
            browser = Browser(server.base)
            browser.log_in("operator_a")
            writers.append(threading.Thread(target=write_stream,
                                            args=(browser, team.team_id, number, acknowledged,
                                                  outcomes)))  # fmt: skip
        for writer in writers:
            writer.start()
        for _ in range(KILLS):
            time.sleep(random.uniform(0.3, 1.0))
            victim = random.choice(server.workers())
            os.kill(victim, signal.SIGKILL)
            kills.append(victim)
        for writer in writers:
            writer.join(timeout=300)
    finally:
        server.stop()

    assert len(kills) == KILLS
    assert len(acknowledged) > WRITERS * WRITES_PER_WRITER // 2, outcomes
    assert set(outcomes) <= {200, 0}, f"unexpected answers {set(outcomes)}"
    verify_invariants(test_database.uri, team.team_id, acknowledged)


def write_stream(browser: Browser, team_id: int, number: int, acknowledged: list[str],
                 outcomes: list[int]) -> None:  # fmt: skip
    for index in range(WRITES_PER_WRITER):
        name = f"Penulis {number} ke-{index}"
        form = {"name": name, "position": "anggota", "unit": "divisi_hukum", "user_id": "0"}
        try:
            status = browser.post(f"/r/{REGENCY_A}/tim/{team_id}/anggota", form)
        except OSError:  # the worker died with the request: neither acknowledged nor refused
            status = 0
        outcomes.append(status)
        if status == 200:
            acknowledged.append(name)


def verify_invariants(uri: str, team_id: int, acknowledged: list[str]) -> None:
    engine = create_engine(uri)
    with engine.connect() as connection:
        stored = set(
            connection.execute(
                text("SELECT name FROM team_member WHERE team_id = :t"), {"t": team_id}
            ).scalars()
        )
        missing = [name for name in acknowledged if name not in stored]
        assert not missing, f"acknowledged but lost: {missing}"
        audited = connection.execute(
            text(
                "SELECT object_id, count(*) FROM audit_log WHERE object_type = 'team_member' "
                "AND action = 'create' GROUP BY object_id"
            )
        ).all()
        ids = connection.execute(
            text("SELECT id FROM team_member WHERE team_id = :t"), {"t": team_id}
        ).scalars()
        per_member = {object_id: count for object_id, count in audited}
        assert all(per_member.get(str(member_id)) == 1 for member_id in ids)
        if make_url(uri).get_backend_name() == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    engine.dispose()
    assert all(re.fullmatch(r"Penulis \d ke-\d+", name) for name in stored - {"Budi Santoso"})
