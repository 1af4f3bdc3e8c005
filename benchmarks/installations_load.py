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

TERRITORIES = 50
COMMUNES_PER_TERRITORY = 20
CASES_PER_APPLICANT = 10

# Shares of real requests (roughly: the professions that settle most often come first).
PROFESSIONS = [
    ("doctor_gp", 28),
    ("nurse", 22),
    ("physiotherapist", 13),
    ("doctor_specialist", 8),
    ("midwife", 6),
    ("dentist", 5),
    ("replacement_doctor", 4),
    ("pharmacist", 3),
    ("speech_therapist", 3),
    ("ipa", 2),
    ("junior_doctor", 2),
    ("intern", 2),
    ("extern", 1),
    ("other", 1),
]
# Frequent French surnames first, with a Zipf-like skew (a third of the rows also get a rarer compound).
SURNAMES = [
    (name, 1000 / (rank + 4))
    for rank, name in enumerate(
        [
            "Martin",
            "Bernard",
            "Thomas",
            "Petit",
            "Robert",
            "Richard",
            "Durand",
            "Dubois",
            "Moreau",
            "Laurent",
            "Simon",
            "Michel",
            "Lefebvre",
            "Leroy",
            "Roux",
            "David",
            "Bertrand",
            "Morel",
            "Fournier",
            "Girard",
            "Bonnet",
            "Dupont",
            "Lambert",
            "Fontaine",
            "Rousseau",
            "Vincent",
            "Muller",
            "Lefèvre",
            "Faure",
            "André",
            "Mercier",
            "Blanc",
            "Guérin",
            "Boyer",
            "Garnier",
            "Chevalier",
            "François",
            "Legrand",
            "Gauthier",
            "Garcia",
            "Perrin",
            "Robin",
            "Clément",
            "Morin",
            "Nicolas",
            "Henry",
            "Roussel",
            "Mathieu",
            "Gautier",
            "Masson",
            "Marchand",
            "Duval",
            "Denis",
            "Dumont",
            "Marie",
            "Lemaire",
            "Noël",
            "Meyer",
            "Dufour",
            "Meunier",
            "Brun",
            "Blanchard",
            "Giraud",
            "Joly",
            "Rivière",
            "Lucas",
            "Brunet",
            "Gaillard",
            "Barbier",
            "Arnaud",
            "Martinez",
            "Gérard",
            "Roche",
            "Renard",
            "Schmitt",
            "Roy",
            "Leroux",
            "Colin",
            "Vidal",
            "Caron",
            "Picard",
            "Roger",
            "Fabre",
            "Aubert",
            "Lemoine",
            "Renaud",
            "Dumas",
            "Lacroix",
            "Olivier",
            "Philippe",
            "Bourgeois",
            "Pierre",
            "Benoît",
            "Rey",
            "Leclerc",
            "Payet",
            "Rolland",
            "Leclercq",
            "Guillaume",
            "Lecomte",
        ]
    )
]
FIRST_NAMES = [
    (name, 1000 / (rank + 6))
    for rank, name in enumerate(
        [
            "Marie",
            "Camille",
            "Léa",
            "Manon",
            "Chloé",
            "Julie",
            "Sarah",
            "Emma",
            "Inès",
            "Pauline",
            "Thomas",
            "Nicolas",
            "Julien",
            "Maxime",
            "Antoine",
            "Alexandre",
            "Hugo",
            "Lucas",
            "Romain",
            "Mathilde",
            "Claire",
            "Anne",
            "Sophie",
            "Pierre",
            "Louis",
            "Paul",
            "Clément",
            "Élise",
            "Margaux",
            "Nathalie",
            "Isabelle",
            "Mehdi",
            "Karim",
            "Yasmine",
            "Amina",
        ]
    )
]


def weighted_values(items):
    """A VALUES list (lo, hi, value) splitting [0, 1) by the weights: a row whose random number falls
    in [lo, hi) gets the value."""
    total = sum(weight for _value, weight in items)
    rows, low = [], 0.0
    for index, (value, weight) in enumerate(items):
        high = 1.0 if index == len(items) - 1 else low + weight / total
        rows.append(f"({low!r}, {high!r}, '{value.replace(chr(39), chr(39) * 2)}')")
        low = high
    return ", ".join(rows)


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
            "coordinators (2 to 6 per territory)",
            # The first coordinator of territory 1 is the benchmark's signed-in coordinator.
            """
            INSERT INTO portal_user (password, is_superuser, email, first_name, last_name, phone, is_staff,
                                     is_active, date_joined)
            SELECT '!', false,
                   CASE WHEN t.n = 1 AND k = 1 THEN 'coordination@bench.invalid'
                        ELSE 'coord' || t.n || '-' || k || '@bench.invalid' END,
                   (ARRAY['Claire', 'Julien', 'Sophie', 'Thomas', 'Nadia', 'Luc'])[k],
                   (ARRAY['Coordination', 'Lemoine', 'Garnier', 'Chevalier', 'Roussel', 'Marchand'])[k],
                   '', true, true, now()
            FROM (SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_territory) AS t
            CROSS JOIN generate_series(1, 6) AS k
            WHERE k <= 2 + t.n % 5;
            INSERT INTO portal_membership (role, created_at, territory_id, user_id)
            SELECT 'coordinator', now(), t.id, u.id
            FROM (SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_territory) AS t
            JOIN portal_user u ON u.email LIKE 'coord' || t.n || '-%@bench.invalid'
                               OR (t.n = 1 AND u.email = 'coordination@bench.invalid');
            """,
        ),
        (
            f"{cases} cases",
            # Case i belongs to territory 1 + i % 50 and to applicant 1 + i % applicants: each applicant's
            # cases are all in one territory. Everything else is drawn at random (fixed seed) with the skews
            # of real requests: professions (many GPs and nurses, few externs), statuses by age (old cases
            # are mostly settled or closed), French surnames (a few frequent, a long tail), specialties for
            # specialists, a target commune (the territory's towns first), a coordinator (one or two do most
            # of the work, new requests mostly unassigned); dates over three years.
            f"""
            SELECT setseed(0.42);
            CREATE TEMP TABLE t_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_territory;
            CREATE TEMP TABLE u_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_user
                WHERE email LIKE 'demandeur%@bench.invalid';
            CREATE TEMP TABLE coords AS
                SELECT m.territory_id, row_number() OVER (PARTITION BY m.territory_id ORDER BY m.user_id) AS k,
                       count(*) OVER (PARTITION BY m.territory_id) AS team, m.user_id
                FROM portal_membership m WHERE m.role = 'coordinator';
            CREATE TEMP TABLE t_communes AS
                SELECT tc.territory_id, row_number() OVER (PARTITION BY tc.territory_id ORDER BY tc.commune_id) AS k,
                       tc.commune_id FROM portal_territory_communes tc;
            CREATE TEMP TABLE professions (lo float, hi float, v text);
            INSERT INTO professions VALUES {weighted_values(PROFESSIONS)};
            CREATE TEMP TABLE surnames (lo float, hi float, v text);
            INSERT INTO surnames VALUES {weighted_values(SURNAMES)};
            CREATE TEMP TABLE firstnames (lo float, hi float, v text);
            INSERT INTO firstnames VALUES {weighted_values(FIRST_NAMES)};
            CREATE TEMP TABLE g AS
            SELECT i, now() - ((i::bigint * 7919) % (3 * 365 * 24 * 60)) * interval '1 minute' AS at,
                   ((i::bigint * 7919) % (3 * 365 * 24 * 60)) / (3 * 365 * 24 * 60.0) AS age,
                   random() AS r_prof, random() AS r_name, random() AS r_first, random() AS r_status,
                   random() AS r_coord, random() AS r_commune, random() AS r_tail
            FROM generate_series(1, {cases}) AS i;
            INSERT INTO installations_case (
                reference, idempotency_key, status, applicant_email, applicant_first_name, applicant_last_name,
                applicant_phone, confirmed_at, confirmation_nonce, profession, specialty, current_situation,
                rpps, planned_date, practice_mode, structure_type, project_description, created_at,
                submitted_at, status_changed_at, first_contact_at, last_contact_at, awaiting_reply_since,
                household_consent, spouse_profession, children_ages, applicant_id, territory_id, assigned_to_id,
                settlement_commune_id, settlement_date)
            SELECT 'B' || lpad(t.n::text, 2, '0') || '-' || g.i, '', s.status,
                   'demandeur' || (1 + g.i % {applicants}) || '@bench.invalid', fn.v,
                   CASE WHEN g.r_tail < 0.35 THEN sn.v || '-' || (ARRAY['Le Goff', 'Morel', 'Nguyen', 'Haddad',
                        'Kerbrat', 'Lopes', 'Benali', 'Traoré'])[1 + (g.i % 8)]
                        ELSE sn.v END,
                   '', g.at, md5(g.i::text), p.v,
                   CASE WHEN p.v = 'doctor_specialist' THEN (ARRAY['Cardiologie', 'Dermatologie', 'Pédiatrie',
                        'Psychiatrie', 'Ophtalmologie', 'Gynécologie', 'Radiologie', 'Anesthésie'])[1 + g.i % 8]
                        ELSE '' END,
                   'liberal', '', NULL, 'liberal', 'msp', 'Projet d''installation', g.at, g.at, g.at,
                   CASE WHEN s.status IN ('submitted', 'unconfirmed') THEN NULL ELSE g.at + interval '2 days' END,
                   CASE WHEN s.status IN ('submitted', 'unconfirmed') THEN NULL
                        ELSE LEAST(now(), g.at + (2 + floor(g.r_tail * 200)) * interval '1 day') END,
                   CASE WHEN s.status = 'submitted' OR (s.status = 'supported' AND g.r_coord < 0.2) THEN g.at
                        ELSE NULL END,
                   false, '', '[]'::jsonb, u.id, t.id, c.user_id,
                   CASE WHEN s.status = 'settled' THEN tc.commune_id END,
                   CASE WHEN s.status = 'settled' THEN (g.at + interval '120 days')::date END
            FROM g
            JOIN t_ids t ON t.n = 1 + g.i % {TERRITORIES}
            JOIN u_ids u ON u.n = 1 + g.i % {applicants}
            JOIN professions p ON g.r_prof >= p.lo AND g.r_prof < p.hi
            JOIN surnames sn ON g.r_name >= sn.lo AND g.r_name < sn.hi
            JOIN firstnames fn ON g.r_first >= fn.lo AND g.r_first < fn.hi
            JOIN t_communes tc ON tc.territory_id = t.id
                AND tc.k = 1 + floor(power(g.r_commune, 2) * {COMMUNES_PER_TERRITORY})::int
            CROSS JOIN LATERAL (SELECT CASE
                -- Recent requests are still open, old ones mostly ended.
                WHEN g.age < 0.05 THEN (CASE WHEN g.r_status < 0.15 THEN 'unconfirmed'
                    WHEN g.r_status < 0.75 THEN 'submitted' ELSE 'supported' END)
                WHEN g.age < 0.4 THEN (CASE WHEN g.r_status < 0.02 THEN 'unconfirmed'
                    WHEN g.r_status < 0.10 THEN 'submitted' WHEN g.r_status < 0.55 THEN 'supported'
                    WHEN g.r_status < 0.75 THEN 'waiting_applicant' WHEN g.r_status < 0.88 THEN 'settled'
                    WHEN g.r_status < 0.94 THEN 'withdrawn' ELSE 'closed' END)
                ELSE (CASE WHEN g.r_status < 0.03 THEN 'submitted' WHEN g.r_status < 0.15 THEN 'supported'
                    WHEN g.r_status < 0.22 THEN 'waiting_applicant' WHEN g.r_status < 0.60 THEN 'settled'
                    WHEN g.r_status < 0.75 THEN 'withdrawn' ELSE 'closed' END)
                END AS status) AS s
            LEFT JOIN coords c ON c.territory_id = t.id AND s.status NOT IN ('unconfirmed')
                AND NOT (s.status = 'submitted' AND g.r_coord < 0.7)
                AND c.k = 1 + LEAST(c.team - 1, floor(power(g.r_coord, 1.8) * c.team))::int;
            UPDATE installations_case SET applicant_id = NULL, confirmed_at = NULL WHERE status = 'unconfirmed';
            INSERT INTO installations_case_target_communes (case_id, commune_id)
            SELECT c.id, tc.commune_id FROM installations_case c
            JOIN t_communes tc ON tc.territory_id = c.territory_id AND tc.k = 1 + (c.id * 7) % 5;
            """,
        ),
        (
            "needs (1 to 4 per case)",
            # Distinct kinds per case (a stride of 2 over the 9 kinds), the first one skewed towards
            # premises, group practice and housing; their states follow the case's.
            """
            SELECT setseed(0.17);
            INSERT INTO installations_need (kind, details, state, created_at, updated_at, case_id, territory_id)
            SELECT (ARRAY['premises', 'group_practice', 'housing_short', 'housing_long', 'spouse_job',
                          'childcare', 'admin_steps', 'financial_aids', 'discovery'])[
                       1 + (floor(power(c.r, 1.6) * 9)::int + 2 * n.k) % 9],
                   '', CASE WHEN c.status IN ('settled', 'closed', 'withdrawn') THEN 'done'
                            WHEN c.status = 'submitted' THEN 'open'
                            ELSE (ARRAY['open', 'in_progress', 'referred', 'done'])[1 + (c.id + n.k) % 4] END,
                   c.submitted_at, c.submitted_at, c.id, c.territory_id
            FROM (SELECT c.*, random() AS r, random() AS r_count FROM installations_case c) AS c
            CROSS JOIN (VALUES (0), (1), (2), (3)) AS n(k)
            WHERE n.k < 1 + floor(power(c.r_count, 1.5) * 4);
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
                  "case": case.pk, "commune": territory.communes.order_by("pk").values_list("pk", flat=True)[2],
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
    rotation = [case_list + query.format(commune=people["commune"]) for query in ROTATION]
    rotating = f"case list, {len(rotation)} views rotating"
    # (label, url, who, marker on the page, rotate over the list's views)
    targets = [
        ("floor (25 rows, 1 query)", f"{base}/bench/floor/{slug}/?status=submitted", "coordinator", "<ul>", False),
        (rotating, case_list, "coordinator", "result_list", True),
        # The floor again right after: other work on the machine varies from one minute to the next,
        # and the list is compared with the mean of the floor measured just before and just after it.
        ("floor, again", f"{base}/bench/floor/{slug}/?status=submitted", "coordinator", "<ul>", False),
        ("case list, one view reloaded", f"{case_list}?status=submitted", "coordinator", "result_list", False),
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

    # The SQL of each view of the rotation, measured in Django (execute_wrapper), best of three.
    log("· SQL per view of the rotation (ms of SQL, queries, slowest query):")
    sql_rows = [
        json.loads(line)
        for line in django_script(env, SQL_PER_VIEW, json.dumps([u.removeprefix(base) for u in rotation])).splitlines()
        if line.startswith("{")
    ]
    for row in sorted(sql_rows, key=lambda r: -r["sql_ms"])[:12]:
        slowest = row["slowest_ms"]
        log(f"  {row['sql_ms']:6.1f} ms  {row['queries']:2d} queries  (slowest {slowest:5.1f})  {row['path']}")
    worst = max(sql_rows, key=lambda r: r["sql_ms"])

    scripts = {}
    paths = ", ".join(f'"{url.removeprefix(base)}"' for url in rotation)
    for rotate, source in ((False, WRK_SCRIPT), (True, WRK_ROTATE_SCRIPT.replace("__PATHS__", paths))):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(source)
            scripts[rotate] = handle.name
    server = start_gunicorn(env, args.port, args.workers)
    results = []
    try:
        for _label, url, who, marker, _rotate in targets:
            check_page(url, people[who], marker)
        for url in rotation:
            check_page(url, people["coordinator"], "Demandes d")
        for connections in [int(c) for c in args.clients.split(",")]:
            for label, url, who, _marker, rotate in targets:
                # A short warm-up so that every worker has its connections and caches.
                run_wrk(url, people[who], connections, 3, scripts[rotate])
                result = run_wrk(url, people[who], connections, args.duration, scripts[rotate])
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
    failed += [f"{label} at {c}: {r['errors']} errors" for c, label, r in results if c >= 50 and r["errors"]]
    if worst["sql_ms"] > 50:
        failed.append(f"{worst['path']}: {worst['sql_ms']:.0f} ms of SQL")
    if failed:
        log("Targets missed: " + "; ".join(failed))
        return 1
    log(
        "Targets met: the rotating case list ≥ 100 req/s, p95 ≤ 150 ms and ≥ 0.5× the floor at 10 clients, "
        "no view over 50 ms of SQL, no error at 50."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
