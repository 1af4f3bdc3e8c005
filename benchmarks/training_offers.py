#!/usr/bin/env python
"""The public offers list against the territory's home page (run by hand, not a test).

    .venv/bin/python benchmarks/training_offers.py [--offers 200] [--rounds 5] [--requests 40]

Fills a database of its own (BENCH_DATABASE_URL, default guichet_training_bench on the local
server, dropped and created) with one territory, 40 host sites over 10 communes and `--offers`
published offers (a third of them joint programmes over two sites) each with a placement, then
times in process (`time.process_time`, Django test client, the whole middleware stack) the
territory's home page and the offers list rotating over its filters (level, semester, commune,
type of site, none). Prints the median CPU per request of each over the rounds and their ratio
(the issue's bar: the offers list within 1.5x of the home page), both rendered (the shared page
cache bypassed), then cold (the cache emptied, each URL viewed once: rendered and stored) and warm
(the same URLs again: served from the cache, portal/public_cache.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_training_bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    name = BENCH_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)  # noqa: S603, S607  (arguments written here)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)  # noqa: S603, S607  (arguments written here)
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from tests.portal.factories import CommuneFactory, TerritoryFactory
    from tests.training.factories import HostSiteFactory, OfferFactory, OfferSiteFactory, PlacementFactory

    territory = TerritoryFactory(slug="banc", name="Territoire du banc d'essai")
    communes = [CommuneFactory() for _ in range(10)]
    territory.communes.set(communes)
    sites = [HostSiteFactory(territory=territory, commune=communes[i % 10]) for i in range(40)]
    for i in range(args.offers):
        offer = OfferFactory(territory=territory, with_site=False, semester=["2026-hiver", "2027-ete"][i % 2])
        OfferSiteFactory(territory=territory, offer=offer, host_site=sites[i % 40])
        if i % 3 == 0:
            OfferSiteFactory(territory=territory, offer=offer, host_site=sites[(i + 7) % 40])
        PlacementFactory(territory=territory, offer=offer)

    client = Client(SERVER_NAME="127.0.0.1")
    home = f"/{territory.slug}/"
    offers = f"/{territory.slug}/formation/stages/"
    rotation = [
        "",
        "?level=intern",
        "?semester=2027-ete",
        f"?commune={communes[3].pk}",
        "?site_kind=msp",
        "?level=intern&semester=2026-hiver",
    ]
    for url in (home, offers):
        assert client.get(url).status_code == 200

    def cpu_per_request(urls: list[str]) -> float:
        start = time.process_time()
        for i in range(args.requests):
            client.get(urls[i % len(urls)])
        return (time.process_time() - start) / args.requests * 1000

    from django.core.cache import cache

    from portal import public_cache

    cacheable_slug = public_cache._cacheable_slug
    public_cache._cacheable_slug = lambda request: None  # rendered at each view
    home_ms, offers_ms = [], []
    for _ in range(args.rounds):
        home_ms.append(cpu_per_request([home]))
        offers_ms.append(cpu_per_request([offers + q for q in rotation]))
    h, o = statistics.median(home_ms), statistics.median(offers_ms)
    print(f"home page, rendered: {h:.1f} ms CPU per request (median of {args.rounds} rounds of {args.requests})")
    print(
        f"offers list ({args.offers} offers, 6 filter sets rotating), rendered: {o:.1f} ms — {o / h:.2f}x the home page"
    )

    public_cache._cacheable_slug = cacheable_slug

    def one_pass(urls: list[str]) -> float:
        start = time.process_time()
        for url in urls:
            assert client.get(url).status_code == 200
        return (time.process_time() - start) / len(urls) * 1000

    figures: dict[str, tuple[list[float], list[float]]] = {"home": ([], []), "offers": ([], [])}
    for _ in range(args.rounds):
        for name, urls in (("home", [home]), ("offers", [offers + q for q in rotation])):
            cache.clear()  # this benchmark's Redis database (REDIS_URL) only
            client.get(home)  # the process knows the territory (its first page is never stored)
            cache.clear()
            figures[name][0].append(one_pass(urls))
            figures[name][1].append(statistics.median(one_pass(urls) for _ in range(max(1, args.requests // 6))))
    (hc, hw), (oc, ow) = ((statistics.median(c), statistics.median(w)) for c, w in figures.values())
    print(f"home page, cached: cold {hc:.2f} ms, warm {hw:.2f} ms")
    print(f"offers list, cached: cold {oc:.2f} ms ({oc / h:.2f}x the home page rendered), warm {ow:.2f} ms")
    print(f"warm offers vs warm home: {ow / hw:.2f}x")


if __name__ == "__main__":
    main()
