"""Running calls at the same instant, each on its own database connection, for tests of what the
database must hold under concurrency (row locks, constraints, claims)."""

import threading

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection


def race(calls):
    """Starts every call of `calls` in its own thread, all released together by a barrier, and returns
    what each returned, in the order they finished; a ValidationError counts as what the call returned
    (a refusal is an outcome); any other exception fails the test with the thread's error."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except ValidationError as refusal:
            results.append(refusal)
        except Exception as exc:  # reported below: a thread's traceback is lost otherwise
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    assert not errors, errors
    return results
