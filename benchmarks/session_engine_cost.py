#!/usr/bin/env python
"""What sessions in the database cost beside `cached_db` (issue 9, docs/adr/0005; run by hand).

CPU and wall time per request of an applicant's list of cases (a signed-in page), through Django's
test client in one process, with `SESSION_ENGINE` `cached_db` (a Redis GET per request) and `db` (a
primary-key SELECT per request), best of three rounds of 200 requests each, alternated.

    .venv/bin/python benchmarks/session_engine_cost.py      # after redis_faults.py or installations_load.py

Needs the database loaded by benchmarks/redis_faults.py (BENCH_DB) and a Redis (BENCH_REDIS_URL).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from installations_data import database_urls, environment  # noqa: E402

ENGINES = ("django.contrib.sessions.backends.cached_db", "django.contrib.sessions.backends.db")


def main() -> int:
    _admin, db_url = database_urls(os.environ.get("BENCH_DB", "guichet_bench_redis_faults"))
    os.environ.update(environment(db_url, os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")))
    sys.path.insert(0, str(HERE.parent))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    from installations.models import Case
    from portal.models import Territory

    territory = Territory.objects.get(slug="bench-01")
    case = Case.objects.for_territory(territory).filter(status="supported", applicant__isnull=False).first()
    path = f"/{territory.slug}/installation/mes-demandes/"
    best: dict[str, tuple[float, float]] = {}
    for _round in range(3):
        for engine in ENGINES:
            with override_settings(SESSION_ENGINE=engine):
                client = Client()
                client.force_login(case.applicant)
                for _ in range(20):  # warm-up
                    assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(200):
                    client.get(path, HTTP_HOST="127.0.0.1")
                measured = ((time.process_time() - cpu) * 5, (time.perf_counter() - wall) * 5)  # ms per request
                name = engine.rsplit(".", 1)[1]
                best[name] = min(best.get(name, measured), measured)
    for name, (cpu_ms, wall_ms) in best.items():
        print(f"{name:<10} {cpu_ms:6.2f} ms of CPU, {wall_ms:6.2f} ms wall per request (best of 3 × 200)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
