"""CPU per view of the coordinator's case list, in process (run by hand, not a test).

wrk figures move with whatever else the machine runs; the CPU a view costs in the Python process
moves much less, and the count of Python function calls not at all. This script requests the 60
views of the load benchmark's rotation (installations_load.ROTATION) with Django's test client,
signed in as the benchmark's coordinator, on the database `installations_load.py` loaded, and prints
for the list and for the floor view: CPU per view (`time.process_time`, best of N rounds) and the
Python function calls per view (cProfile). `--profile` prints the 25 costliest functions.

    .venv/bin/python benchmarks/installations_cpu.py --db guichet_bench --redis redis://127.0.0.1:6379/13
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

from installations_data import database_urls, environment  # noqa: E402
from installations_load import ROTATION, SETUP_PEOPLE, django_script  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "guichet_bench_installations"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the costliest functions of the list")
    parser.add_argument("--dump", metavar="FILE", help="write the list's profile (pstats) to FILE")
    args = parser.parse_args()
    _, db_url = database_urls(args.db)
    env = environment(db_url, args.redis)
    django_script(env, SETUP_PEOPLE)  # the benchmark's coordinator, as the load benchmark makes it
    os.environ.update(env)

    import django

    django.setup()
    from django.test import Client

    from portal.models import Commune, Territory, User

    territory = Territory.objects.get(slug="bench-01")
    commune = Commune.objects.filter(territories=territory).order_by("pk").values_list("pk", flat=True)[2]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="coordination@bench.invalid"))
    pages = {
        "case list, 60 views": ["/admin/installations/case/" + query.format(commune=commune) for query in ROTATION],
        "floor (25 rows, 1 query)": [f"/bench/floor/{territory.slug}/?status=submitted"] * len(ROTATION),
    }

    def one_round(urls):
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

    for label, urls in pages.items():
        one_round(urls)  # warm: caches, imports, the first connection
        best = min(_timed(one_round, urls) for _ in range(args.rounds))
        profile = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
        profile.runcall(one_round, urls)
        stats = pstats.Stats(profile)
        print(
            f"{label}: {best / len(urls) * 1000:.1f} ms of CPU per view (best of {args.rounds}), "
            f"{stats.total_calls / len(urls):,.0f} function calls per view"
        )
        if args.dump and label.startswith("case list"):
            stats.dump_stats(args.dump)
        if args.profile and label.startswith("case list"):
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)


def _timed(function, *args):
    start = time.process_time()
    function(*args)
    return time.process_time() - start


if __name__ == "__main__":
    main()
