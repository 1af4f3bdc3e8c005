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

The anonymous public pages are also served from the shared page cache (portal/public_cache.py).
For each, beside the figures above, it prints the **cold** CPU (the cache emptied, then every
distinct URL of a realistic rotation viewed once: each view renders and stores its page) and the
**warm** CPU (the same URLs viewed again: each served from the cache), over a wide rotation:
every profession × 20 communes per territory for the aids page, levels × semesters × communes for
the offers, themes × communes × past/coming for the agenda. The request form's first step carries
a CSRF token: it is never stored, its cold and warm figures are the same.
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


def wide_rotations():
    """The many distinct addresses real visitors ask for, per anonymous public page."""
    import itertools

    from portal.models import Commune, Territory
    from prevention.enums import Theme
    from training.enums import TraineeLevel
    from training.models import Offer

    pages: dict[str, list[str]] = {}
    for slug in TERRITORIES:
        territory = Territory.objects.get(slug=slug)
        communes = list(Commune.objects.filter(territories=territory).order_by("pk").values_list("pk", flat=True))
        some = communes[:: max(1, len(communes) // 20)][:20]
        pages.setdefault("territory home", []).append(f"/{slug}/")
        aids = f"/{slug}/installation/aides/"
        pages.setdefault("aids page", []).append(aids)
        pages["aids page"] += [f"{aids}?profession={p}&commune={c}" for p, c in itertools.product(PROFESSIONS, some)]
        offers = f"/{slug}/formation/stages/"
        semesters = ["", *sorted(set(Offer.objects.for_territory(territory).values_list("semester", flat=True)))[:3]]
        levels = ["", *TraineeLevel.values]
        pages.setdefault("offers list", [])
        for level, semester, commune in itertools.product(levels, semesters, ["", *some[:4]]):
            query = "&".join(
                f"{k}={v}" for k, v in (("level", level), ("semester", semester), ("commune", commune)) if v
            )
            pages["offers list"].append(offers + (f"?{query}" if query else ""))
        agenda = f"/{slug}/prevention/"
        pages.setdefault("prevention agenda", [])
        for theme, commune, when in itertools.product(["", *Theme.values], ["", *some[:4]], ["", "passes"]):
            query = "&".join(f"{k}={v}" for k, v in (("theme", theme), ("commune", commune), ("quand", when)) if v)
            pages["prevention agenda"].append(agenda + (f"?{query}" if query else ""))
        pages.setdefault("request form, first step", []).append(f"/{slug}/installation/demande/vous/")
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
    parser.add_argument(
        "--no-cache-figures", action="store_true", help="skip the shared page cache's cold/warm figures"
    )
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

    # The figures of each page rendered: the shared page cache is bypassed here (measured after).
    from portal import public_cache

    cacheable_slug = public_cache._cacheable_slug
    public_cache._cacheable_slug = lambda request: None
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
    public_cache._cacheable_slug = cacheable_slug
    if not args.no_cache_figures:
        cache_figures(results.get("floor, anonymous"), results.get("territory home"), args)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def cache_figures(floor, home, args):
    """Cold (cache emptied, each distinct URL once) and warm (the same again) CPU per view, by a
    new visitor for each page and round (no cookie yet: the request form's steps open a session,
    and a visitor with a session is never served from the cache)."""
    from django.core.cache import cache
    from django.test import Client

    def one_pass(urls):
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

    print("\nShared page cache (anonymous), cold: emptied, each URL once; warm: the same URLs again")
    for label, urls in wide_rotations().items():
        if args.only and args.only not in label:
            continue
        colds, warms = [], []
        for _ in range(args.rounds):
            client = Client(HTTP_HOST="127.0.0.1")
            cache.clear()  # this benchmark's Redis database only
            for slug in TERRITORIES:  # the process knows each territory (its first page is never stored)
                client.get(f"/{slug}/")
            cache.clear()
            colds.append(_timed(one_pass, urls) / len(urls) * 1000)
            warms.append(_timed(one_pass, urls) / len(urls) * 1000)
        cold, warm = min(colds), min(warms)

        def ratios(ms):
            parts = [
                f"{floor / ms:.2f}× the floor" if floor else "",
                f"{ms / home:.2f}× the home page rendered" if home else "",
            ]
            return ", ".join(p for p in parts if p)

        print(
            f"{label} ({len(urls)} distinct URLs): cold {cold:.2f} ms ({ratios(cold)}), "
            f"warm {warm:.2f} ms ({ratios(warm)}) of CPU per view, best of {args.rounds}",
            flush=True,
        )


def _timed(function, *args):
    start = time.process_time()
    function(*args)
    return time.process_time() - start


if __name__ == "__main__":
    main()
