"""CPU per view of the pages of the load benchmark, in process (run by hand, not a test).

wrk figures move with whatever else the machine runs; the CPU a view costs in the Python process
moves much less, and the count of Python function calls not at all. This script requests the pages
of the load benchmark (installations_load.bench_pages: the floor, the case list's 60 views, the case
page over 50 cases, the partner's referrals, the dashboard, the applicant's pages) with Django's test
client, signed in as the benchmark's people, on the database `installations_load.py` loaded, and
prints for each: CPU per view (`time.process_time`, best of N rounds), the Python function calls per
view (cProfile) and the SQL queries per view. `--profile WORD` prints the costliest functions of the
pages whose label has WORD; `--only START,START` measures only the pages whose label starts so.

    .venv/bin/python benchmarks/installations_cpu.py --db guichet_bench --redis redis://127.0.0.1:6379/13
    .venv/bin/python benchmarks/installations_cpu.py --only floor,"case page" --profile "case page"
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from installations_data import database_urls, environment  # noqa: E402
from installations_load import SETUP_PEOPLE, bench_pages, django_script  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "guichet_bench_installations"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only the pages whose label has one of these words")
    parser.add_argument("--profile", default="", help="print the costliest functions of the pages with this word")
    parser.add_argument("--save", default="", help="with --profile: save the profile there (pstats) too")
    args = parser.parse_args()
    _, db_url = database_urls(args.db)
    env = environment(db_url, args.redis)
    # The benchmark's people, as the load benchmark makes them, and the cases of the rotation.
    people = json.loads(django_script(env, SETUP_PEOPLE).strip().splitlines()[-1])
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from portal.models import User

    emails = {"coordinator": "coordination@bench.invalid", "partner": "partenaire1-1@bench.invalid"}
    clients = {}
    for who, email in emails.items():
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(User.objects.get(email=email))
    clients["applicant"] = Client(HTTP_HOST="127.0.0.1")
    clients["applicant"].cookies.load(people["applicant"])

    def one_round(client, paths):
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")

    for label, who, paths, _mark in bench_pages(people):
        if args.only and not any(label.startswith(word) for word in args.only.split(",")):
            continue
        client = clients[who]
        paths = paths * (50 // len(paths) or 1)  # about fifty requests of each page
        one_round(client, paths)  # warm: caches, imports, the first connection
        queries: list[str] = []  # counted by a wrapper: each request's start empties connection.queries
        with connection.execute_wrapper(
            lambda execute, sql, *rest, seen=queries: seen.append(sql) or execute(sql, *rest)
        ):
            one_round(client, paths)
        best = min(_timed(one_round, client, paths) for _ in range(args.rounds))
        profile = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
        profile.runcall(one_round, client, paths)
        stats = pstats.Stats(profile)
        print(
            f"{label}: {best / len(paths) * 1000:.1f} ms of CPU per view (best of {args.rounds}), "
            f"{stats.total_calls / len(paths):,.0f} function calls, {len(queries) / len(paths):.1f} queries per view",
            flush=True,
        )
        if args.profile and args.profile in label:
            if args.save:
                stats.dump_stats(args.save)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)


def _timed(function, *args):
    start = time.process_time()
    function(*args)
    return time.process_time() - start


if __name__ == "__main__":
    main()
