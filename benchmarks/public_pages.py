#!/usr/bin/env python
"""CPU per view of the public pages and the applicant's pages, beside the floor (run by hand, not a test).

    .venv/bin/python benchmarks/public_pages.py [--db guichet_bench_public] [--redis redis://127.0.0.1:6379/9]
                                                [--rounds 5] [--skip-load] [--profile "aids page"]

Loads the demo (`seed_demo`: three territories, 129 + 44 + 256 real communes, their aids, offers,
prevention agenda and the demo applicant's cases) in a database of its own (dropped and created
unless --skip-load), then requests, with Django's test client through the whole middleware stack
and the load benchmark's settings (DEBUG off, Redis cache), each page **rotating over the three
territories and over professions, communes and filters** (never one URL reloaded), and prints for
each: CPU per view (`time.process_time`, best of N rounds), Python function calls per view, and
the ratio of the floor's CPU to the page's (the issue's bar: anonymous public pages ≥ 1× the
floor, the applicant's ≥ 0.5×; 1× means as cheap as the floor). The floor is the load benchmark's
one-query view (`installations_urls.floor`), requested anonymously beside the anonymous pages and
signed in as the applicant beside theirs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from installations_data import create_database, database_urls, environment  # noqa: E402

TERRITORIES = ("cotentin", "agen", "deux-sevres")
PROFESSIONS = ("doctor_gp", "nurse", "midwife", "physiotherapist", "dentist", "pharmacist", "intern")


def rotations(client_user_cases):
    """The URLs of each page, rotating over territories and choices; read from the loaded demo."""
    from portal.models import Commune, Territory
    from training.models import Offer

    pages: dict[str, list[str]] = {"floor, anonymous": [], "territory home": [], "aids page": []}
    pages |= {"offers list": [], "prevention agenda": [], "request form, first step": []}
    for slug in TERRITORIES:
        territory = Territory.objects.get(slug=slug)
        communes = list(Commune.objects.filter(territories=territory).order_by("pk").values_list("pk", flat=True))
        pages["floor, anonymous"].append(f"/bench/floor/{slug}/?status=submitted")
        pages["territory home"].append(f"/{slug}/")
        pages["aids page"].append(f"/{slug}/installation/aides/")
        for i, profession in enumerate(PROFESSIONS):
            commune = communes[(i * 17) % len(communes)]
            pages["aids page"].append(f"/{slug}/installation/aides/?profession={profession}&commune={commune}")
        offers = f"/{slug}/formation/stages/"
        semesters = sorted(set(Offer.objects.for_territory(territory).values_list("semester", flat=True)))
        pages["offers list"] += [offers, offers + "?level=intern", offers + f"?commune={communes[3]}"]
        pages["offers list"] += [offers + f"?semester={semester}" for semester in semesters[:2]]
        agenda = f"/{slug}/prevention/"
        pages["prevention agenda"] += [agenda, agenda + "?theme=nutrition", agenda + f"?commune={communes[5]}"]
        pages["prevention agenda"].append(agenda + "?quand=passes")
        pages["request form, first step"].append(f"/{slug}/installation/demande/vous/")
    user, cases = client_user_cases
    pages["floor, signed in"] = [f"/bench/floor/{slug}/?status=submitted" for slug in TERRITORIES]
    pages["applicant: my space"] = ["/espace/"]
    slugs = sorted({case.territory.slug for case in cases})
    pages["applicant: my cases"] = [f"/{slug}/installation/mes-demandes/" for slug in slugs]
    pages["applicant: a case page"] = [f"/{case.territory.slug}/installation/mes-demandes/{case.pk}/" for case in cases]
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "guichet_bench_public"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--views", type=int, default=24, help="requests per page and round (the rotation repeated)")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--profile", help="print the costliest functions of this page")
    parser.add_argument("--only", help="measure only the pages whose label contains this")
    args = parser.parse_args()
    admin_url, db_url = database_urls(args.db)
    os.environ.update(environment(db_url, args.redis))
    if not args.skip_load:
        create_database(admin_url, args.db)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from installations.models import Case
    from portal.demo import PROFESSIONAL_EMAIL
    from portal.models import User

    if not args.skip_load:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--force", verbosity=0)
    applicant = User.objects.get(email=PROFESSIONAL_EMAIL)
    cases = list(Case.objects.filter(applicant=applicant).select_related("territory").order_by("pk"))
    pages = rotations((applicant, cases))

    anonymous, signed_in = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(applicant)

    def one_round(client, urls):
        for i in range(args.views):
            url = urls[i % len(urls)]
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

    results = {}
    for label, urls in pages.items():
        if args.only and args.only not in label and not label.startswith("floor"):
            continue
        client = signed_in if label.startswith(("applicant", "floor, signed")) else anonymous
        one_round(client, urls)  # warm: caches, imports, the first connection
        best = min(_timed(one_round, client, urls) for _ in range(args.rounds)) / args.views * 1000
        profile = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
        profile.runcall(one_round, client, urls)
        stats = pstats.Stats(profile)
        results[label] = best
        floor = results.get("floor, signed in" if label.startswith("applicant") else "floor, anonymous")
        ratio = f" — {floor / best:.2f}× the floor" if floor and not label.startswith("floor") else ""
        home = results.get("territory home")
        vs_home = f", {best / home:.2f}× the home page's CPU" if home and label != "territory home" else ""
        print(
            f"{label} ({len(urls)} URLs): {best:.1f} ms of CPU per view (best of {args.rounds}), "
            f"{stats.total_calls / args.views:,.0f} calls per view{ratio}{vs_home}",
            flush=True,
        )
        if args.profile and args.profile in label:
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _timed(function, *args):
    start = time.process_time()
    function(*args)
    return time.process_time() - start


if __name__ == "__main__":
    main()
