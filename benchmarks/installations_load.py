#!/usr/bin/env python
"""Load benchmark of the guichet unique (run by hand, not a test).

Loads N cases (1,000,000 by default) over 50 territories into a PostgreSQL database of its own with
set-based SQL (generate_series, no ORM loop), starts gunicorn on loopback against it and measures
with wrk, at 10 and 50 concurrent clients:

- the coordinator's case list (in the admin, filtered by status, newest first), as a coordinator
  reloading it gets it (from the list's cache while nothing changed) and with every view rendered;
- the coordinator's case page (admin change form);
- the applicant's space (their list of cases, and one case page);
- the floor: a minimal view of the same stack (same middleware, same session) reading the same 25
  rows with one query.

It prints requests/s, p95 latency and errors for each, and the PostgreSQL plan of the list query
(which must use an index, not a sequential scan of a million rows).

    .venv/bin/python benchmarks/installations_load.py --cases 50000        # a quick first run
    .venv/bin/python benchmarks/installations_load.py                      # 1,000,000 cases
    .venv/bin/python benchmarks/installations_load.py --skip-load          # measure again

Needs: PostgreSQL (DATABASE_URL's server; the database BENCH_DB is dropped and created), Redis
(REDIS_URL, for sessions and cache as in production), `wrk` (apt-get install wrk), gunicorn.
"""

# A script run by hand on one's own machine: it starts local programs (psql, gunicorn, wrk) and sends
# SQL built from its own integer constants, never from input.
# ruff: noqa: S603, S607, S608, S310

from __future__ import annotations

import argparse
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

TERRITORIES = 50
COMMUNES_PER_TERRITORY = 20
CASES_PER_APPLICANT = 10

# wrk prints its own summary; this adds the 95th percentile and the error counts on one line.
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


# The same, each request with a query parameter of its own, so that no page comes from the list's
# cache (installations/list_cache.py): every view is rendered (the per-status counts stay cached).
WRK_FRESH_SCRIPT = (
    WRK_SCRIPT
    + """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&fresh=" .. tid .. "-" .. n)
end
"""
)


def log(message):
    print(message, flush=True)


def database_urls(name):
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = base.rsplit("/", 1)[0]
    return f"{server}/postgres", f"{server}/{name}"


def psql(url, sql, *, quiet=True):
    """Runs SQL through psql (ON_ERROR_STOP), the fastest way to send large set-based statements."""
    command = ["psql", url, "-v", "ON_ERROR_STOP=1", "-X", "-q" if quiet else "-e", "-c", sql]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL if quiet else None)


def psql_value(url, sql):
    return subprocess.run(["psql", url, "-X", "-At", "-c", sql], check=True, capture_output=True, text=True).stdout


def environment(db_url, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "installations_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "STAFF_MFA_REQUIRED": "true",
        "CELERY_BROKER_URL": "",
    }
    return env


# --- loading ------------------------------------------------------------------------------------


def create_database(admin_url, name):
    log(f"· database {name}: drop and create")
    psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin_url, f'CREATE DATABASE "{name}"')


def migrate(env):
    log("· migrate")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def load(db_url, cases):
    applicants = max(cases // CASES_PER_APPLICANT, TERRITORIES)
    started = time.perf_counter()
    statements = [
        (
            "territories",
            f"""
            INSERT INTO portal_territory (slug, name, kind, region, siren, contact_email, contact_phone,
                                          presentation, logo, main_colour, is_active)
            SELECT 'bench-' || lpad(t::text, 2, '0'), 'Territoire de test ' || t, 'ca', 'Normandie', '',
                   'guichet' || t || '@bench.invalid', '02 33 00 00 00', '', '', '#1d4f91', true
            FROM generate_series(1, {TERRITORIES}) AS t;
            """,
        ),
        (
            "communes",
            f"""
            INSERT INTO portal_commune (insee_code, name, postcodes, departement, epci_siren, population,
                                        ars_zone)
            SELECT lpad((10000 + c)::text, 5, '0'), 'Commune ' || c, '[]'::jsonb, '50', '', 1000 + c,
                   (ARRAY['zip', 'zac', 'none'])[1 + c % 3]
            FROM generate_series(1, {TERRITORIES * COMMUNES_PER_TERRITORY}) AS c;
            INSERT INTO portal_territory_communes (territory_id, commune_id)
            SELECT t.id, c.id FROM portal_territory t
            JOIN portal_commune c ON (c.id - 1) / {COMMUNES_PER_TERRITORY} = (t.id - 1);
            """,
        ),
        (
            f"{applicants} applicants",
            f"""
            INSERT INTO portal_user (password, is_superuser, email, first_name, last_name, phone, is_staff,
                                     is_active, date_joined)
            SELECT '!', false, 'demandeur' || a || '@bench.invalid', 'Prénom' || a, 'Nom' || a, '', false,
                   true, now()
            FROM generate_series(1, {applicants}) AS a;
            """,
        ),
        (
            f"{cases} cases",
            # Case i belongs to territory 1 + i % 50 and to applicant 1 + i % applicants: each applicant's
            # cases are all in one territory. Statuses in realistic shares in every territory (drawn from
            # i / 50, not i, which would tie them to the territory); dates over three years.
            f"""
            CREATE TEMP TABLE t_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_territory;
            CREATE TEMP TABLE u_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_user
                WHERE email LIKE 'demandeur%@bench.invalid';
            INSERT INTO installations_case (
                reference, idempotency_key, status, applicant_email, applicant_first_name, applicant_last_name,
                applicant_phone, confirmed_at, confirmation_nonce, profession, specialty, current_situation,
                rpps, planned_date, practice_mode, structure_type, project_description, created_at,
                submitted_at, status_changed_at, first_contact_at, last_contact_at, awaiting_reply_since,
                household_consent, spouse_profession, children_ages, applicant_id, territory_id)
            SELECT 'B' || lpad((1 + g.i % {TERRITORIES})::text, 2, '0') || '-' || g.i, '', s.status,
                   'demandeur' || (1 + g.i % {applicants}) || '@bench.invalid', 'Prénom', 'Nom' || g.i, '',
                   g.at, md5(g.i::text), (ARRAY['doctor_gp', 'nurse', 'physiotherapist', 'midwife',
                   'doctor_specialist'])[1 + g.i % 5], '', 'liberal', '', NULL, 'liberal', 'msp',
                   'Projet d''installation', g.at, g.at, g.at,
                   CASE WHEN s.status IN ('submitted', 'unconfirmed') THEN NULL ELSE g.at + interval '2 days' END,
                   CASE WHEN s.status IN ('submitted', 'unconfirmed') THEN NULL ELSE g.at + interval '2 days' END,
                   CASE WHEN s.status = 'submitted' THEN g.at ELSE NULL END,
                   false, '', '[]'::jsonb, u.id, t.id
            FROM (SELECT i, now() - ((i::bigint * 7919) % (3 * 365 * 24 * 60)) * interval '1 minute' AS at
                  FROM generate_series(1, {cases}) AS i) AS g
            JOIN t_ids t ON t.n = 1 + g.i % {TERRITORIES}
            JOIN u_ids u ON u.n = 1 + g.i % {applicants}
            CROSS JOIN LATERAL (SELECT (g.i / {TERRITORIES}) % 20 AS r) AS k
            CROSS JOIN LATERAL (SELECT CASE
                WHEN k.r = 0 THEN 'unconfirmed' WHEN k.r < 4 THEN 'submitted'
                WHEN k.r < 10 THEN 'supported' WHEN k.r < 12 THEN 'waiting_applicant'
                WHEN k.r < 16 THEN 'settled' WHEN k.r < 18 THEN 'withdrawn'
                ELSE 'closed' END AS status) AS s;
            UPDATE installations_case SET applicant_id = NULL, confirmed_at = NULL WHERE status = 'unconfirmed';
            """,
        ),
        (
            "needs (2 per case)",
            """
            INSERT INTO installations_need (kind, details, state, created_at, updated_at, case_id, territory_id)
            SELECT (ARRAY['premises', 'group_practice', 'housing_short', 'housing_long', 'spouse_job',
                          'childcare', 'admin_steps', 'financial_aids', 'discovery'])[1 + (c.id + k) % 9],
                   '', (ARRAY['open', 'in_progress', 'done'])[1 + (c.id + k) % 3], c.submitted_at, c.submitted_at,
                   c.id, c.territory_id
            FROM installations_case c CROSS JOIN (VALUES (0), (4)) AS n(k);
            """,
        ),
        (
            "timeline (1 event per case)",
            """
            INSERT INTO installations_caseevent (kind, summary, payload, public, created_at, case_id, territory_id)
            SELECT 'submitted', 'Demande déposée', '{}'::jsonb, true, c.submitted_at, c.id, c.territory_id
            FROM installations_case c;
            """,
        ),
        (
            "messages (2 on every tenth case)",
            """
            INSERT INTO installations_message (from_applicant, body, created_at, case_id, territory_id)
            SELECT m.from_applicant, 'Message de test', c.submitted_at + interval '1 day', c.id, c.territory_id
            FROM installations_case c CROSS JOIN (VALUES (true), (false)) AS m(from_applicant)
            WHERE c.id % 10 = 0;
            """,
        ),
        # VACUUM as well: autovacuum may be off or not have run yet after a bulk load, and without the
        # visibility map no count can be answered from an index alone (production tables are vacuumed).
        ("vacuum analyze", "VACUUM ANALYZE;"),
    ]
    for label, sql in statements:
        step = time.perf_counter()
        # Temp tables live for one session: the cases statement creates and uses them at once.
        psql(db_url, sql)
        log(f"· loaded {label} in {time.perf_counter() - step:.1f} s")
    total = psql_value(db_url, "SELECT count(*) FROM installations_case").strip()
    log(f"· {total} cases loaded in {time.perf_counter() - started:.0f} s")


# --- the people and their sessions --------------------------------------------------------------

SETUP_PEOPLE = r"""
import json, sys
import django
django.setup()
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
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
                  "case": case.pk,
                  "slug": territory.slug, "territory": territory.pk}))
"""

EXPLAIN = r"""
import django
django.setup()
from django.contrib import admin
from django.test import RequestFactory
from installations.admin.case_list import LIST_COLUMNS
from installations.models import Case
from portal.models import User

# The page query of the coordinator's list, built as the list builds it (filters, columns, 25 rows).
request = RequestFactory().get("/admin/installations/case/", {"status": "submitted"})
request.user = User.objects.get(email="coordination@bench.invalid")
filterset = admin.site._registry[Case].case_filterset(request)
print(filterset.qs.select_related("assigned_to").only(*LIST_COLUMNS)[:25].explain(analyze=True))
"""


def django_script(env, source):
    result = subprocess.run([PYTHON, "-c", source], cwd=ROOT, env=env, capture_output=True, text=True)
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
    parser.add_argument("--only", default="", help="measure only the pages whose label has one of these words")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    admin_url, db_url = database_urls(args.db)
    env = environment(db_url, args.redis)
    if not args.skip_load:
        create_database(admin_url, args.db)
        migrate(env)
        load(db_url, args.cases)
        # A previous run's cached lists and counts were for other rows under the same ids.
        django_script(env, "import django; django.setup(); from django.core.cache import cache; cache.clear()")
    import json

    people = json.loads(django_script(env, SETUP_PEOPLE).strip().splitlines()[-1])
    log("· plan of the coordinator's list query (status filter, newest first):")
    plan = django_script(env, EXPLAIN)
    log("  " + plan.strip().replace("\n", "\n  "))
    if "Seq Scan on installations_case" in plan:
        log("  !! the list query scans the whole table")

    base = f"http://127.0.0.1:{args.port}"
    slug, case_pk = people["slug"], people["case"]
    admin_case = psql_value(
        db_url,
        f"SELECT id FROM installations_case WHERE territory_id = {people['territory']} "
        "AND status = 'submitted' ORDER BY submitted_at DESC LIMIT 1",
    ).strip()
    case_list = f"{base}/admin/installations/case/"
    list_url = f"{case_list}?status=submitted"
    # (label, url, who, marker on the page, every view rendered)
    targets = [
        ("floor (25 rows, 1 query)", f"{base}/bench/floor/{slug}/?status=submitted", "coordinator", "<ul>", False),
        ("coordinator: case list", list_url, "coordinator", "result_list", False),
        ("case list, every view rendered", list_url, "coordinator", "result_list", True),
        (
            "coordinator: case page",
            f"{base}/admin/installations/case/{admin_case}/change/",
            "coordinator",
            "B01-",
            False,
        ),
        ("applicant: my cases", f"{base}/{slug}/installation/mes-demandes/", "applicant", "Demande B01-", False),
        (
            "applicant: case page",
            f"{base}/{slug}/installation/mes-demandes/{case_pk}/",
            "applicant",
            "Demande B01-",
            False,
        ),
    ]
    if args.only:
        targets = [t for t in targets if any(word in t[0] for word in args.only.split(","))]

    scripts = {}
    for fresh, source in ((False, WRK_SCRIPT), (True, WRK_FRESH_SCRIPT)):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(source)
            scripts[fresh] = handle.name
    server = start_gunicorn(env, args.port, args.workers)
    results = []
    try:
        for _label, url, who, marker, _fresh in targets:
            check_page(url, people[who], marker)
        for connections in [int(c) for c in args.clients.split(",")]:
            for label, url, who, _marker, fresh in targets:
                # A short warm-up so that every worker has its connections and caches.
                run_wrk(url, people[who], connections, 3, scripts[fresh])
                result = run_wrk(url, people[who], connections, args.duration, scripts[fresh])
                results.append((connections, label, result))
                log(
                    f"· {connections:>3} clients  {label:<31} {result['rps']:7.1f} req/s  "
                    f"p95 {result['p95']:7.1f} ms  errors {result['errors']}"
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
    failed = [
        f"{label} at {c}: p95 {r['p95']:.0f} ms, {r['rps']:.0f} req/s"
        for c, label, r in results
        if label == "coordinator: case list" and c == 10 and (r["p95"] > 150 or r["rps"] < 100)
    ]
    failed += [f"{label} at {c}: {r['errors']} errors" for c, label, r in results if c >= 50 and r["errors"]]
    if not any(label == "coordinator: case list" and c == 10 for c, label, _r in results):
        failed.append("the case list at 10 clients was not measured")
    if failed:
        log("Targets missed: " + "; ".join(failed))
        return 1
    log("Targets met: case list p95 ≤ 150 ms and ≥ 100 req/s at 10 clients, no error at 50.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
