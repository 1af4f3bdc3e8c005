#!/usr/bin/env python
"""The public offers list against the territory's home page (run by hand, not a test).

    .venv/bin/python benchmarks/training_offers.py [--offers 200] [--rounds 5] [--requests 40]

Fills a database of its own (BENCH_DATABASE_URL, default guichet_training_bench on the local
server, dropped and created) with one territory, 40 host sites over 10 communes and `--offers`
published offers (a third of them joint programmes over two sites) each with a placement, then
times in process (`time.process_time`, Django test client, the whole middleware stack) the
territory's home page and the offers list rotating over its filters (level, semester, commune,
type of site, none). Prints the median CPU per request of each over the rounds and their ratio
(the issue's bar: the offers list within 1.5x of the home page).
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

    home_ms, offers_ms = [], []
    for _ in range(args.rounds):
        home_ms.append(cpu_per_request([home]))
        offers_ms.append(cpu_per_request([offers + q for q in rotation]))
    h, o = statistics.median(home_ms), statistics.median(offers_ms)
    print(f"home page: {h:.1f} ms CPU per request (median of {args.rounds} rounds of {args.requests})")
    print(f"offers list ({args.offers} offers, 6 filter sets rotating): {o:.1f} ms — {o / h:.2f}x the home page")


if __name__ == "__main__":
    main()
