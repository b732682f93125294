"""Where a page's time goes: pyinstrument over repeated requests, in process.

    bench/.venv/bin/python bench/profile.py --entries 50000 \\
        "/r/3507/inventory/?status=belum&per_page=50" [--htmx] [--province] [-n 50]

Logs in like bench/run (the operator of Kab. Malang, or the province user
with --province) on the generated dataset and prints pyinstrument's tree."""

import argparse
import os
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate  # noqa: E402 - bench/ is not a package


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--htmx", action="store_true")
    parser.add_argument("--province", action="store_true")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    args = parser.parse_args()
    instance = generate.generate(args.entries)
    os.environ["PHPNET_INSTANCE_PATH"] = str(instance)
    from pyinstrument import Profiler

    import wsgi_bench

    client = wsgi_bench.app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    username = generate.PROVINCE_USER if args.province else generate.OPERATOR
    answer = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": generate.PASSWORD},
    )
    assert answer.status_code in (302, 303), answer.status_code
    headers = {"HX-Request": "true", "HX-Trigger-Name": "stage"} if args.htmx else {}
    for _ in range(3):  # templates compiled, caches warm
        assert client.get(args.path, headers=headers).status_code == 200
    if args.sql:
        from sqlalchemy import event

        from phpnet.extensions import db

        with wsgi_bench.app.app_context():
            engine = db.engine
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        client.get(args.path, headers=headers)
        print(f"{len(statements)} queries")
        for statement in statements:
            print("---\n" + statement)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.n):
        client.get(args.path, headers=headers)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
