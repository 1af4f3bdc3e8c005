"""How long does `notify()` + commit take when the broker is up, down, or hung?

Compares the portal's relay (on-commit hand-off to a background publisher thread, see
portal/background.py) with the naive `transaction.on_commit(task.delay)` (what
`delay_on_commit()` does). Each call is one request's worth of work: a transaction that
notifies one user and commits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated database> \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
    .venv/bin/python benchmarks/notify_broker_down.py [-n 50] [--naive-n 5]

No worker runs: the relay messages go to a dedicated queue, purged at the end; the rows the
script creates (a territory, users, notifications) are deleted at the end. E-mails are never sent
(the test settings' in-memory backend).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal import background  # noqa: E402
from portal.models import Territory, User  # noqa: E402
from portal.notifications import outbox  # noqa: E402
from portal.notifications.models import Notification  # noqa: E402
from portal.notifications.services import notify  # noqa: E402
from portal.notifications.tasks import outbox_relay  # noqa: E402

QUEUE = "notify-benchmark"
CLOSED_PORT_URL = "redis://127.0.0.1:6390/3"
NAIVE_CAP_SECONDS = 20.0


def silent_server() -> str:
    """A TCP server that accepts connections and never answers: a hung or half-dead Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            connection, _address = server.accept()
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return f"redis://127.0.0.1:{server.getsockname()[1]}/3"


def use_broker(url: str) -> None:
    app = outbox_relay.app
    app.conf.broker_url = url
    # delay() publishes through pooled connections bound to the URL they were made with.
    app._pool = None
    app.amqp._producer_pool = None


def naive_relay() -> None:
    outbox_relay.delay()


def one_call(territory, user, index, *, naive: bool) -> tuple[float, str]:
    """Seconds spent, and the error the caller (the request) would see."""
    started = time.perf_counter()
    error = ""
    try:
        with transaction.atomic():
            notify(territory=territory, recipients=[user], kind="benchmark", subject=f"Mesure {index}", body="…")
            if naive:
                transaction.on_commit(naive_relay)
    except Exception as exc:
        error = type(exc).__name__
    return time.perf_counter() - started, error


def measure(label, territory, users, *, naive: bool) -> None:
    if naive:
        # The naive relay replaces ours: make ours a no-op by putting the rows out of its reach afterwards.
        original, outbox.relay_soon = outbox.relay_soon, lambda: None
    durations = []
    errors = set()
    done = threading.Semaphore(0)

    def run():
        # One thread for the whole scenario (one database connection, as in a web worker), so that
        # a call blocked on the broker can be abandoned without blocking the benchmark.
        try:
            for index, user in enumerate(users):
                duration, error = one_call(territory, user, index, naive=naive)
                durations.append(duration)
                if error:
                    errors.add(error)
                done.release()
        finally:
            connection.close()

    capped = False
    try:
        threading.Thread(target=run, daemon=True).start()
        for _user in users:
            if not done.acquire(timeout=NAIVE_CAP_SECONDS):
                capped = True
                break
    finally:
        if naive:
            outbox.relay_soon = original
    settle = ""
    if not naive:
        started = time.perf_counter()
        background.publisher.wait_idle(timeout=30)
        error = background.publisher.last_error
        settle = f"  | background publish: {'failed (' + type(error).__name__ + ')' if error else 'ok'}, "
        settle += f"settled {time.perf_counter() - started:.3f} s after the last call"
    if capped:
        print(f"{label:<66} n={len(durations):>3}  call still blocked after {NAIVE_CAP_SECONDS:.0f} s (abandoned)")
        return
    ms = sorted(d * 1000 for d in durations)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(
        f"{label:<66} n={len(ms):>3}  mean {statistics.mean(ms):8.1f} ms  median {statistics.median(ms):8.1f} ms  "
        f"p95 {p95:8.1f} ms  max {ms[-1]:8.1f} ms{settle}"
        + (f"  | the caller got {', '.join(sorted(errors))} after its commit" if errors else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50, help="calls per scenario with the portal's relay")
    parser.add_argument("--naive-n", type=int, default=5, help="calls per scenario with the naive delay()")
    args = parser.parse_args()

    app = outbox_relay.app
    live_url = settings.CELERY_BROKER_URL
    if not live_url:
        sys.exit("Set REDIS_URL (or CELERY_BROKER_URL): the benchmark needs a real broker to compare with.")
    app.conf.task_always_eager = False
    app.conf.task_default_queue = QUEUE
    hung_url = silent_server()

    territory = Territory.objects.create(
        slug=f"benchmark-notify-{os.getpid()}", name="Benchmark notify", kind="ca", contact_email="b@example.org"
    )
    users = [
        User.objects.create_user(email=f"benchmark-notify-{os.getpid()}-{i}@example.org")
        for i in range(max(args.n, args.naive_n))
    ]
    print(f"Django {django.get_version()}, database {settings.DATABASES['default']['NAME']}, broker {live_url}")
    print(f"relay publish timeout: {background.publish_timeout()} s\n")
    try:
        scenarios = [
            ("Redis reachable", live_url),
            ("broker down: port closed (127.0.0.1:6390)", CLOSED_PORT_URL),
            ("broker hung: accepts, never answers", hung_url),
        ]
        for name, url in scenarios:
            use_broker(url)
            measure(f"portal relay, {name}", territory, users[: args.n], naive=False)
        for name, url in scenarios:
            use_broker(url)
            measure(f"naive on_commit(delay), {name}", territory, users[: args.naive_n], naive=True)
    finally:
        Notification.objects.filter(territory=territory).delete()
        # The benchmark's users and territory own nothing else; a raw delete does not need every
        # app's tables to exist in the database used.
        User.objects.filter(pk__in=[u.pk for u in users])._raw_delete(User.objects.db)
        Territory.objects.filter(pk=territory.pk)._raw_delete(Territory.objects.db)
        use_broker(live_url)
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(QUEUE)


if __name__ == "__main__":
    main()
