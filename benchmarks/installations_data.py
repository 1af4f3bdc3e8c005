"""The data of the installations load benchmark (benchmarks/installations_load.py): 1,000,000 cases
over 50 territories with the variety of real requests, written with set-based SQL through psql."""

# A script run by hand: it runs psql with SQL built from its own constants, never from input.
# ruff: noqa: S603, S607, S608

from __future__ import annotations

import os
import subprocess
import sys
import time
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


# Three partner organisations per territory, each with its referent (partenaire<territory>-<k>@bench.invalid;
# partenaire1-1 is the benchmark's partner), and referrals as coordinators make them: one referred need
# in forty gets a referent (with an answer on half of them, the applicant's consent on half), one need
# of a settled case in five hundred was referred before it ended (at 1,000,000 cases: some thirty
# referrals waiting or in progress per referent, a dozen finished), a "referred" event on the timeline
# of each and, on half of them, a thread of two notes between the coordinator and the referent. Idempotent
# (ON CONFLICT, NOT EXISTS, only needs without a referent): `installations_load.py --add-partners` adds
# it to a database loaded before this step existed.
PARTNERS_SQL = """
INSERT INTO portal_organisation (name, kind, finess, siret, address, email, phone, website, territory_id)
SELECT (ARRAY['Maison de santé', 'CPTS', 'Centre de santé'])[k] || ' ' || t.n, (ARRAY['msp', 'cpts',
       'health_centre'])[k], '', '', '', 'partenaire' || t.n || '-' || k || '@bench.invalid', '', '', t.id
FROM (SELECT row_number() OVER (ORDER BY id) AS n, id FROM portal_territory WHERE slug LIKE 'bench-%') AS t
CROSS JOIN generate_series(1, 3) AS k
ON CONFLICT (territory_id, name) DO NOTHING;
INSERT INTO portal_user (password, is_superuser, email, first_name, last_name, phone, is_staff, is_active,
                         date_joined)
SELECT '!', false, o.email, (ARRAY['Hélène', 'Marc', 'Aïcha'])[1 + o.id % 3], 'Partenaire', '', true, true, now()
FROM portal_organisation o WHERE o.email LIKE 'partenaire%@bench.invalid'
  AND NOT EXISTS (SELECT 1 FROM portal_user u WHERE u.email = o.email);
INSERT INTO portal_membership (role, created_at, user_id, organisation_id, territory_id)
SELECT 'partner', now(), u.id, o.id, o.territory_id
FROM portal_organisation o JOIN portal_user u ON u.email = o.email
WHERE o.email LIKE 'partenaire%@bench.invalid'
ON CONFLICT (territory_id, user_id, role) DO NOTHING;
CREATE TEMP TABLE referents AS
    SELECT m.territory_id, m.user_id, m.organisation_id,
           row_number() OVER (PARTITION BY m.territory_id ORDER BY m.user_id) - 1 AS k
    FROM portal_membership m JOIN portal_user u ON u.id = m.user_id
    WHERE m.role = 'partner' AND u.email LIKE 'partenaire%@bench.invalid';
CREATE TEMP TABLE referred AS
    SELECT n.id, n.case_id, n.territory_id, c.submitted_at, c.assigned_to_id, r.user_id, r.organisation_id
    FROM installations_need n JOIN installations_case c ON c.id = n.case_id
    JOIN referents r ON r.territory_id = n.territory_id AND r.k = (n.case_id + n.id) % 3
    WHERE n.referent_id IS NULL
      AND ((n.state = 'referred' AND n.id % 40 = 0) OR (c.status = 'settled' AND n.id % 500 = 0));
UPDATE installations_need n
SET referred_to_id = r.organisation_id, referent_id = r.user_id, referred_at = r.submitted_at + interval '5 days',
    contact_consent = n.id % 2 = 0,
    referral_answer = CASE WHEN n.state = 'done' OR n.id % 2 = 0 THEN 'accepted' ELSE '' END,
    referral_answered_at = CASE WHEN n.state = 'done' OR n.id % 2 = 0 THEN r.submitted_at + interval '8 days' END,
    referral_answered_by_id = CASE WHEN n.state = 'done' OR n.id % 2 = 0 THEN r.user_id END,
    due_date = (r.submitted_at + interval '30 days')::date
FROM referred r WHERE n.id = r.id;
INSERT INTO installations_caseevent (kind, summary, payload, public, created_at, case_id, territory_id, need_id,
                                     actor_id)
SELECT 'need_referred', 'Besoin orienté vers un partenaire', '{}'::jsonb, false,
       r.submitted_at + interval '5 days', r.case_id, r.territory_id, r.id, r.assigned_to_id
FROM referred r;
INSERT INTO installations_note (body, created_at, case_id, territory_id, need_id, author_id)
SELECT (ARRAY['Pouvez-vous accompagner ce professionnel ?', 'Oui, je le contacte cette semaine.'])[k],
       r.submitted_at + k * interval '2 days', r.case_id, r.territory_id, r.id,
       CASE WHEN k = 1 THEN r.assigned_to_id ELSE r.user_id END
FROM referred r CROSS JOIN generate_series(1, 2) AS k
WHERE (r.id / 40) % 2 = 0;
"""


def load_partners(db_url):
    """The partners' step alone, on a database loaded before it existed (idempotent)."""
    step = time.perf_counter()
    psql(db_url, PARTNERS_SQL)
    psql(db_url, "VACUUM ANALYZE installations_need, installations_note, installations_caseevent, portal_membership;")
    log(f"· loaded partner referents and referrals in {time.perf_counter() - step:.1f} s")


def load(db_url, cases):
    applicants = max(cases // CASES_PER_APPLICANT, TERRITORIES)
    started = time.perf_counter()
    statements = [
        (
            "territories",
            f"""
            INSERT INTO portal_territory (slug, name, kind, region, siren, contact_email, contact_phone,
                                          presentation, logo, main_colour, is_active, article)
            SELECT 'bench-' || lpad(t::text, 2, '0'), 'Territoire de test ' || t, 'ca', 'Normandie', '',
                   'guichet' || t || '@bench.invalid', '02 33 00 00 00', '', '', '#1d4f91', true, 'le'
            FROM generate_series(1, {TERRITORIES}) AS t;
            """,
        ),
        (
            "communes",
            f"""
            INSERT INTO portal_commune (insee_code, name, postcodes, departement, epci_siren, population)
            SELECT lpad((10000 + c)::text, 5, '0'), 'Commune ' || c, '[]'::jsonb, '50', '', 1000 + c
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
            INSERT INTO installations_need (kind, details, state, created_at, updated_at, case_id, territory_id,
                                            contact_consent, referral_answer, referral_reason)
            SELECT (ARRAY['premises', 'group_practice', 'housing_short', 'housing_long', 'spouse_job',
                          'childcare', 'admin_steps', 'financial_aids', 'discovery'])[
                       1 + (floor(power(c.r, 1.6) * 9)::int + 2 * n.k) % 9],
                   '', CASE WHEN c.status IN ('settled', 'closed', 'withdrawn') THEN 'done'
                            WHEN c.status = 'submitted' THEN 'open'
                            ELSE (ARRAY['open', 'in_progress', 'referred', 'done'])[1 + (c.id + n.k) % 4] END,
                   c.submitted_at, c.submitted_at, c.id, c.territory_id, false, '', ''
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
        ("partner referents and referrals", PARTNERS_SQL),
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
