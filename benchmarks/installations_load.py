#!/usr/bin/env python
"""Load benchmark of the guichet unique (run by hand, not a test).

Loads N cases (1,000,000 by default) over 50 territories into a PostgreSQL database of its own with
set-based SQL (generate_series, no ORM loop), starts gunicorn on loopback against it and measures
with wrk, at 10 and 50 concurrent clients:

- the coordinator's case list rotating over 60 views (status tabs, pages, sorts, filters, searches),
  and one view reloaded;
- the coordinator's case page rotating over 50 cases of the territory (ten with needs referred to a
  partner, ten with a thread with the partner, ten with messages, ten with four needs, and cases of
  every status);
- the partner referent's referrals (installations_data.PARTNERS_SQL makes three referents per
  territory) and the coordinator's dashboard (their home after sign-in);
- the applicant's space (their list of cases, and one case page);
- the floor: a minimal view of the same stack (same middleware, same session) reading the same 25
  rows with one query, before and after the list and the case page, each compared with the mean.

`benchmarks/installations_cpu.py` measures the same pages in process (CPU and function calls per
view), which the machine's load moves much less.

It prints requests/s, p95 latency and errors for each, and the PostgreSQL plan of the list query
(which must use an index, not a sequential scan of a million rows).

    .venv/bin/python benchmarks/installations_load.py --cases 50000        # a quick first run
    .venv/bin/python benchmarks/installations_load.py                      # 1,000,000 cases
    .venv/bin/python benchmarks/installations_load.py --skip-load          # measure again
    .venv/bin/python benchmarks/installations_load.py --skip-load --add-partners  # a database loaded
                                                             # before the partners' step: add it, measure

Needs: PostgreSQL (DATABASE_URL's server; the database BENCH_DB is dropped and created), Redis
(REDIS_URL, for sessions and cache as in production), `wrk` (apt-get install wrk), gunicorn.
"""

# A script run by hand on one's own machine: it starts local programs (psql, gunicorn, wrk) and sends
# SQL built from its own integer constants, never from input.
# ruff: noqa: S603, S310

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable


from installations_data import (  # noqa: E402  (a sibling script module: benchmarks/ is on sys.path)
    TERRITORIES,
    create_database,
    database_urls,
    environment,
    load,
    load_partners,
    log,
    migrate,
    psql_value,
)

WRK_SCRIPT = """
local cookie = os.getenv("BENCH_COOKIE")
wrk.headers["Cookie"] = cookie
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d "
    .. "non2xx=%d connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status, e.connect, e.read, e.write, e.timeout))
end
"""


# The views a coordinator goes through in a day's work, the wrk script below rotating over them (each
# thread from its own starting point): status tabs, pages 2 to 20, every sort, profession, need,
# commune, coordinator, waiting and age filters, and searches with the terms people type (a frequent
# surname, part of one, a first name, a specialty, a reference, two words, a name nobody has).
ROTATION = [
    "",
    "?status=open",
    "?status=submitted",
    "?status=supported",
    "?status=waiting_applicant",
    "?status=settled",
    "?status=closed",
    "?status=withdrawn",
    "?status=unconfirmed",
    "?page=2",
    "?status=open&page=2",
    "?status=open&page=3",
    "?status=submitted&page=2",
    "?status=supported&page=5",
    "?status=settled&page=8",
    "?page=12",
    "?status=open&page=20",
    "?page=20",
    "?o=reference",
    "?o=-reference&status=open",
    "?o=applicant",
    "?o=-applicant&status=supported",
    "?o=profession&status=open",
    "?o=-profession",
    "?o=status",
    "?o=assigned&status=open",
    "?o=-assigned",
    "?o=contact&status=supported",
    "?o=-contact",
    "?o=submitted&status=submitted",
    "?o=applicant&page=4",
    "?profession=nurse",
    "?profession=doctor_gp&status=open",
    "?profession=midwife&status=supported",
    "?profession=dentist&o=applicant",
    "?profession=ipa",
    "?profession=physiotherapist&page=3",
    "?need=housing_short",
    "?need=childcare&status=open",
    "?need=spouse_job&status=supported",
    "?need=discovery",
    "?need=premises&page=2",
    "?need=financial_aids&profession=nurse",
    "?q=martin",
    "?q=bern",
    "?q=dupont&status=open",
    "?q=marie",
    "?q=cardio",
    "?q=B01-1234",
    "?q=claire+martin",
    "?q=le+goff&status=supported",
    "?q=lefebvre&o=-submitted",
    "?q=zyxwv",
    "?assigned=me&status=open",
    "?assigned=none&status=submitted",
    "?waiting_on=coordinator",
    "?waiting_on=no_answer",
    "?waiting_on=partner&status=supported",
    "?age=30&status=open",
    "?commune={commune}",
]

WRK_ROTATE_SCRIPT = (
    WRK_SCRIPT
    + """
local paths = {__PATHS__}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = nil
function request()
  if n == nil then n = tid * 17 end
  n = n + 1
  return wrk.format(nil, paths[1 + n % #paths])
end
"""
)


# --- the people and their sessions --------------------------------------------------------------

SETUP_PEOPLE = r"""
import json, sys
import django
django.setup()
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.db.models import Count
from installations.models import Case
from portal.enums import Role
from portal.models import Membership, Territory, User

territory = Territory.objects.get(slug="bench-01")
coordinator, _ = User.objects.get_or_create(email="coordination@bench.invalid", defaults={"is_staff": True,
    "first_name": "Claire", "last_name": "Coordination"})
Membership.objects.get_or_create(user=coordinator, territory=territory, role=Role.COORDINATOR)
Authenticator.objects.get_or_create(user=coordinator, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
case = Case.objects.for_territory(territory).filter(status="supported", applicant__isnull=False).order_by("-id").first()
applicant = case.applicant
EmailAddress.objects.get_or_create(user=applicant, email=applicant.email, defaults={"verified": True, "primary": True})
# The partner referent of the territory's first organisation (installations_data.PARTNERS_SQL).
partner = User.objects.filter(email="partenaire1-1@bench.invalid").first()
if partner:
    Authenticator.objects.get_or_create(user=partner, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})

# The case pages of the rotation: 50 cases of the territory as a coordinator opens them in a day, ten of
# each kind (newest first): with needs referred to a partner, with a thread with the partner, with
# messages, with four needs, and of every status.
cases = Case.objects.for_territory(territory)
kinds = [
    cases.filter(needs__referent__isnull=False),
    cases.filter(notes__need__isnull=False),
    cases.filter(messages__isnull=False, status__in=["supported", "waiting_applicant"]),
    cases.annotate(n=Count("needs")).filter(n=4),
    *(cases.filter(status=status) for status in ("submitted", "supported", "settled", "closed", "unconfirmed")),
]
case_pages = []
for kind, quota in zip([*kinds, cases], [10, 10, 10, 10, 2, 2, 2, 2, 2, 50]):
    candidates = kind.order_by("-pk").values_list("pk", flat=True).distinct()[: quota + 50]
    fresh = [pk for pk in candidates if pk not in case_pages]
    case_pages += fresh[: min(quota, 50 - len(case_pages))]

def cookie(user, first_page=None):
    client = Client()
    client.force_login(user)
    names = [settings.SESSION_COOKIE_NAME]
    if first_page:
        # What a browser holds after its first page with a form: the CSRF cookie too.
        client.get(first_page, HTTP_HOST="127.0.0.1")
        names.append(settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)

print(json.dumps({"coordinator": cookie(coordinator, "/admin/installations/case/"), "applicant": cookie(applicant),
                  "partner": cookie(partner) if partner else "",
                  "case": case.pk, "commune": territory.communes.order_by("pk").values_list("pk", flat=True)[2],
                  "slug": territory.slug, "territory": territory.pk, "case_pages": case_pages}))
"""

EXPLAIN = r"""
import django
django.setup()
from django.contrib import admin
from django.test import RequestFactory
from django.db import connection
from installations.selectors import case_rows_sql
from installations.models import Case
from portal.models import User

# The page query of the coordinator's list, built as the list builds it (filters, columns, 25 rows).
request = RequestFactory().get("/admin/installations/case/", {"status": "submitted"})
request.user = User.objects.get(email="coordination@bench.invalid")
filterset = admin.site._registry[Case].case_filterset(request)
with connection.cursor() as cursor:
    sql, params = case_rows_sql(filterset.qs[:25])
    cursor.execute("EXPLAIN ANALYZE " + sql, params)
    print("\n".join(row[0] for row in cursor.fetchall()))
"""


SQL_PER_VIEW = r"""
import json, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from portal.models import User

paths = json.loads(sys.argv[1])
client = Client()
client.force_login(User.objects.get(email="coordination@bench.invalid"))
timings = {}

def timed(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        timings.setdefault("current", []).append(time.perf_counter() - started)

for path in paths:
    best = None
    for _ in range(3):  # the best of three: the cost of the queries, not of a busy moment
        timings["current"] = []
        with connection.execute_wrapper(timed):
            response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        total = sum(timings["current"]) * 1000
        if best is None or total < best[0]:
            best = (total, len(timings["current"]), max(timings["current"]) * 1000)
    print(json.dumps({"path": path, "sql_ms": best[0], "queries": best[1], "slowest_ms": best[2]}))
"""


def bench_pages(people):
    """The pages measured, in the order measured: (label, who, the paths rotated over, a mark of the
    page). Shared by this script (wrk) and installations_cpu.py (CPU in process). The floor comes
    before and after the case list and the case page, each compared with the mean of the two."""
    floor = [f"/bench/floor/{people['slug']}/?status=submitted"]
    case_list = "/admin/installations/case/"
    case_pages = [f"{case_list}{pk}/change/" for pk in people["case_pages"]]
    return [
        ("floor (25 rows, 1 query)", "coordinator", floor, "<ul>"),
        (
            f"case list, {len(ROTATION)} views rotating",
            "coordinator",
            [case_list + query.format(commune=people["commune"]) for query in ROTATION],
            "inst-status-tabs",
        ),
        (f"case page, {len(case_pages)} cases rotating", "coordinator", case_pages, "cp-head"),
        ("floor, again", "coordinator", floor, "<ul>"),
        ("case list, one view reloaded", "coordinator", [f"{case_list}?status=submitted"], "inst-status-tabs"),
        ("partner: referrals", "partner", ["/admin/installations/need/orientations/"], "waiting-title"),
        (
            "coordinator: dashboard",
            "coordinator",
            [f"{case_list}dashboard/?territory={people['territory']}"],
            "Tableau de bord",
        ),
        ("applicant: my cases", "applicant", [f"/{people['slug']}/installation/mes-demandes/"], "Demande B01-"),
        (
            "applicant: case page",
            "applicant",
            [f"/{people['slug']}/installation/mes-demandes/{people['case']}/"],
            "Demande B01-",
        ),
    ]


def django_script(env, source, *args):
    result = subprocess.run([PYTHON, "-c", source, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr)
    return result.stdout


# --- measuring ----------------------------------------------------------------------------------


def start_gunicorn(env, port, workers):
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer on /healthz within 30 s")


def stop(process):
    # Only the gunicorn we started: its own process group.
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def check_page(url, cookie, marker):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode()
        final = response.geturl()
    if final != url or marker not in body:
        raise SystemExit(f"{url} does not show the expected page (landed on {final}); is the session valid?")


def run_wrk(url, cookie, connections, duration, script_path):
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", script_path, url]
    output = subprocess.run(
        command, env={**os.environ, "BENCH_COOKIE": cookie}, check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}
    seconds = values["duration_us"] / 1e6
    errors = sum(values[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    return {
        "rps": values["requests"] / seconds if seconds else 0,
        "p50": values["p50_us"] / 1000,
        "p95": values["p95_us"] / 1000,
        "p99": values["p99_us"] / 1000,
        "requests": values["requests"],
        "errors": errors,
        "error_kinds": {k: values[k] for k in ("non2xx", "connect", "read", "write", "timeout") if values[k]},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "guichet_bench_installations"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement")
    parser.add_argument("--clients", default="10,50", help="concurrent connections, comma-separated")
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument("--load-only", action="store_true", help="load the database, measure nothing")
    parser.add_argument(
        "--add-partners",
        action="store_true",
        help="add the partner referents and referrals to a database loaded before that step existed, then measure",
    )
    parser.add_argument("--only", default="", help="measure only the pages whose label has one of these words")
    args = parser.parse_args()
    if not shutil.which("wrk") and not args.load_only:
        raise SystemExit("wrk is missing: apt-get install wrk")

    admin_url, db_url = database_urls(args.db)
    env = environment(db_url, args.redis)
    if not args.skip_load:
        create_database(admin_url, args.db)
        migrate(env)
        load(db_url, args.cases)
        # A previous run's cached lists and counts were for other rows under the same ids.
        django_script(env, "import django; django.setup(); from django.core.cache import cache; cache.clear()")
        if args.load_only:
            return 0
    if args.skip_load and args.add_partners:
        load_partners(db_url)
    people = json.loads(django_script(env, SETUP_PEOPLE).strip().splitlines()[-1])
    log("· plan of the coordinator's list query (status filter, newest first):")
    plan = django_script(env, EXPLAIN)
    log("  " + plan.strip().replace("\n", "\n  "))
    if "Seq Scan on installations_case" in plan:
        log("  !! the list query scans the whole table")

    base = f"http://127.0.0.1:{args.port}"
    pages = bench_pages(people)
    rotating, _who, rotation, _mark = pages[1]
    case_page = pages[2][0]
    targets = [page for page in pages if not args.only or any(word in page[0] for word in args.only.split(","))]

    # The SQL of each view of the rotation, measured in Django (execute_wrapper), best of three.
    log("· SQL per view of the rotation (ms of SQL, queries, slowest query):")
    sql_rows = [
        json.loads(line)
        for line in django_script(env, SQL_PER_VIEW, json.dumps(rotation)).splitlines()
        if line.startswith("{")
    ]
    for row in sorted(sql_rows, key=lambda r: -r["sql_ms"])[:12]:
        slowest = row["slowest_ms"]
        log(f"  {row['sql_ms']:6.1f} ms  {row['queries']:2d} queries  (slowest {slowest:5.1f})  {row['path']}")
    worst = max(sql_rows, key=lambda r: r["sql_ms"])

    # One wrk script per page: a page with several paths rotates over them (each thread from its own
    # starting point).
    scripts = {}
    for label, _who, paths, _mark in targets:
        source = WRK_SCRIPT
        if len(paths) > 1:
            source = WRK_ROTATE_SCRIPT.replace("__PATHS__", ", ".join(f'"{path}"' for path in paths))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(source)
            scripts[label] = handle.name
    server = start_gunicorn(env, args.port, args.workers)
    results = []
    try:
        for _label, who, paths, marker in targets:
            for path in paths:
                check_page(base + path, people[who], marker)
        for connections in [int(c) for c in args.clients.split(",")]:
            for label, who, paths, _marker in targets:
                # A short warm-up so that every worker has its connections and caches.
                run_wrk(base + paths[0], people[who], connections, 3, scripts[label])
                result = run_wrk(base + paths[0], people[who], connections, args.duration, scripts[label])
                results.append((connections, label, result))
                log(
                    f"· {connections:>3} clients  {label:<31} {result['rps']:7.1f} req/s  "
                    f"p95 {result['p95']:7.1f} ms  errors {result['errors']} {result['error_kinds'] or ''}"
                )
    finally:
        stop(server)
        for path in scripts.values():
            os.unlink(path)

    cases = psql_value(db_url, "SELECT count(*) FROM installations_case").strip()
    log("")
    log(f"{cases} cases, {TERRITORIES} territories, gunicorn {args.workers} sync workers, {os.cpu_count()} CPUs")
    log("| clients | page | req/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |")
    log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for connections, label, r in results:
        log(
            f"| {connections} | {label} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
            f"| {r['errors']} |"
        )
    measured = {(c, label): r for c, label, r in results}
    log(f"Slowest view of the rotation in SQL: {worst['sql_ms']:.1f} ms ({worst['path']})")
    failed = []
    listed = measured.get((10, rotating))
    floors = [measured[key] for key in ((10, "floor (25 rows, 1 query)"), (10, "floor, again")) if key in measured]
    if listed is None or not floors:
        failed.append("the rotating case list and the floor were not both measured at 10 clients")
    else:
        floor_rps = sum(f["rps"] for f in floors) / len(floors)
        ratio = listed["rps"] / floor_rps
        log(f"Rotating case list / floor (mean of before and after, {floor_rps:.0f} req/s) at 10 clients: {ratio:.2f}×")
        if listed["p95"] > 150 or listed["rps"] < 100:
            failed.append(f"{rotating} at 10: p95 {listed['p95']:.0f} ms, {listed['rps']:.0f} req/s")
        if ratio < 0.5:
            failed.append(f"{rotating} at 10: {ratio:.2f}× the floor")
    page = measured.get((10, case_page))
    if page is None or not floors:
        failed.append("the rotating case page and the floor were not both measured at 10 clients")
    else:
        ratio = page["rps"] / (sum(f["rps"] for f in floors) / len(floors))
        log(f"Rotating case page / floor at 10 clients: {ratio:.2f}×")
        if page["p95"] > 250:
            failed.append(f"{case_page} at 10: p95 {page['p95']:.0f} ms")
        if ratio < 0.4:
            failed.append(f"{case_page} at 10: {ratio:.2f}× the floor")
    failed += [f"{label} at {c}: {r['errors']} errors" for c, label, r in results if c >= 50 and r["errors"]]
    if worst["sql_ms"] > 50:
        failed.append(f"{worst['path']}: {worst['sql_ms']:.0f} ms of SQL")
    if failed:
        log("Targets missed: " + "; ".join(failed))
        return 1
    log(
        "Targets met: the rotating case list ≥ 100 req/s, p95 ≤ 150 ms and ≥ 0.5× the floor at 10 clients, "
        "the rotating case page p95 ≤ 250 ms and ≥ 0.4× the floor at 10 clients, no view of the list's rotation "
        "over 50 ms of SQL, no error at 50."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
