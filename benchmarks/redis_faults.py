#!/usr/bin/env python
"""The same requests with the cache's Redis up, down and hung (issue 9; run by hand, not a test).

Loads a small data set (20,000 cases over 50 territories, by installations_data.py) into a database
of its own, starts a Redis of its own on another port (never the shared one), gunicorn against both
(production-like settings: benchmarks/installations_settings.py), and measures with wrk a rotation
over pages of three kinds of people, one request after the other:

- a coordinator: the case list (20 of the 60 views of installations_load.py) and a case page;
- an applicant: their personal space, their cases, a case page;
- anonymous visitors: the portal's and the territory's home pages, the request form's first step,
  the sign-in page;

with the cache's Redis

- up;
- down: shut down, its port closed (connections refused);
- hung: frozen with SIGSTOP (the kernel still accepts connections; nothing answers), then thawed.

It prints requests/s, p95 latency and errors for each state.

    .venv/bin/python benchmarks/redis_faults.py                  # load, then measure
    .venv/bin/python benchmarks/redis_faults.py --skip-load      # measure again
    .venv/bin/python benchmarks/redis_faults.py --skip-load --before   # the configuration before issue 9

Needs: PostgreSQL (DATABASE_URL's server; the database BENCH_DB is dropped and created),
`redis-server` and `redis-cli`, `wrk`, gunicorn.
"""

# A script run by hand on one's own machine: it starts local programs (redis-server, gunicorn, wrk).
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from installations_data import create_database, database_urls, environment, load, log, migrate  # noqa: E402
from installations_load import (  # noqa: E402
    ROTATION,
    SETUP_PEOPLE,
    WRK_SCRIPT,
    check_page,
    django_script,
    run_wrk,
    start_gunicorn,
    stop,
)

# One request after the other over these (path, who); each wrk thread starts at its own place.
WRK_PAGES_SCRIPT = (
    WRK_SCRIPT
    + """
local pages = {__PAGES__}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = nil
function request()
  if n == nil then n = tid * 7 end
  n = n + 1
  local page = pages[1 + n % #pages]
  local headers = {}
  if page[2] ~= "" then headers["Cookie"] = page[2] end
  return wrk.format("GET", page[1], headers)
end
"""
)


class OwnRedis:
    """A redis-server of this benchmark's own, on its own port: stopped and frozen at will."""

    def __init__(self, port: int):
        self.port = port
        self.pidfile = Path(tempfile.gettempdir()) / f"bench-redis-{port}.pid"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--daemonize", "yes", "--pidfile", str(self.pidfile)],
            check=True,
            capture_output=True,
        )
        for _ in range(50):
            if self.answers():
                return
            time.sleep(0.1)
        raise SystemExit(f"redis-server on port {self.port} did not start")

    def answers(self) -> bool:
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        return subprocess.run(ping, capture_output=True, text=True, timeout=5).stdout.strip() == "PONG"

    def pid(self) -> int:
        return int(self.pidfile.read_text().strip())

    def down(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=5)
        for _ in range(50):
            if not self.pidfile.exists():
                return
            time.sleep(0.1)

    def freeze(self) -> None:
        os.kill(self.pid(), signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.pid(), signal.SIGCONT)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "guichet_bench_redis_faults"))
    parser.add_argument("--redis-port", type=int, default=6391, help="this benchmark's own Redis (never 6379)")
    parser.add_argument("--port", type=int, default=8932)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=20, help="seconds per state")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument(
        "--before", action="store_true", help="Django's RedisCache and cached_db sessions, as before issue 9"
    )
    args = parser.parse_args()
    if args.redis_port == 6379:
        raise SystemExit("6379 is the shared Redis: give this benchmark a port of its own")
    for program in ("wrk", "redis-server", "redis-cli"):
        if not shutil.which(program):
            raise SystemExit(f"{program} is missing")

    redis = OwnRedis(args.redis_port)
    redis.start()
    admin_url, db_url = database_urls(args.db)
    env = environment(db_url, redis.url)
    if args.before:
        env["DJANGO_SETTINGS_MODULE"] = "redis_faults_before_settings"
    server = None
    script = None
    results = []
    try:
        if not args.skip_load:
            create_database(admin_url, args.db)
        migrate(env)  # with --skip-load too: the code may have new migrations since the load
        if not args.skip_load:
            load(db_url, args.cases)
        people = json.loads(django_script(env, SETUP_PEOPLE).strip().splitlines()[-1])
        people["anonymous"] = ""
        slug, case_pk = people["slug"], people["case"]
        lists = ["/admin/installations/case/" + query.format(commune=people["commune"]) for query in ROTATION[::3]]
        pages = [(path, "coordinator") for path in lists]
        pages += [("/admin/installations/case/{}/change/".format(people["case"]), "coordinator")]
        applicant = ["/espace/", f"/{slug}/installation/mes-demandes/", f"/{slug}/installation/mes-demandes/{case_pk}/"]
        pages += [(path, "applicant") for path in applicant]
        anonymous = ["/", f"/{slug}/", f"/{slug}/installation/demande/vous/", "/comptes/login/"]
        pages += [(path, "anonymous") for path in anonymous]
        # As many signed-in as anonymous requests: the anonymous pages, cheaper, come again.
        pages += [(path, "anonymous") for path in anonymous] * 3
        kinds = {who: sum(1 for _p, w in pages if w == who) for who in ("coordinator", "applicant", "anonymous")}

        lua_pages = ", ".join(f'{{"{path}", "{people[who]}"}}' for path, who in pages)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(WRK_PAGES_SCRIPT.replace("__PAGES__", lua_pages))
            script = handle.name

        server = start_gunicorn(env, args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
        for path, who in pages:
            marker = {"coordinator": "Guichet unique", "applicant": "Demande", "anonymous": "Guichet"}[who]
            check_page(base + path, people[who], marker)

        def measure(state: str) -> None:
            run_wrk(base + "/", "", args.clients, 3, script)  # warm-up: every worker has its connections
            result = run_wrk(base + "/", "", args.clients, args.duration, script)
            results.append((state, result))
            log(
                f"· Redis {state:<5} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  "
                f"p95 {result['p95']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                f"errors {result['errors']} {result['error_kinds'] or ''}  ({len(pages)} pages rotating)"
            )

        measure("up")
        redis.down()
        measure("down")
        redis.start()
        redis.freeze()
        try:
            measure("hung")
        finally:
            redis.thaw()
        measure("back")
    finally:
        if server is not None:
            stop(server)
        if script:
            os.unlink(script)
        redis.down()

    log("")
    log(
        ("Before issue 9 (RedisCache, cached_db sessions): " if args.before else "")
        + f"{args.cases} cases, gunicorn {args.workers} sync workers, wrk {args.clients} connections, "
        f"{args.duration} s per state, {os.cpu_count()} CPUs; pages rotating: {len(pages)} "
        f"({kinds['coordinator']} coordinator, {kinds['applicant']} applicant, {kinds['anonymous']} anonymous)"
    )
    log("| Redis | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |")
    log("| --- | ---: | ---: | ---: | ---: | ---: |")
    for state, r in results:
        log(f"| {state} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} |")
    return 1 if any(r["errors"] for _state, r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
