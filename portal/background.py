"""The one way to queue background work: `enqueue_after_commit(task, *args, **kwargs)`.

    from portal.background import enqueue_after_commit
    enqueue_after_commit(build_document, territory_id, document_id)

- The message leaves only once the caller's transaction commits (at once outside a transaction),
  so a worker never looks for a row that is not there yet, and a rollback queues nothing.
- The request never waits for the broker. Celery's `delay()` retries its publish: ~0.65 s then
  an exception against a closed port, over 20 s against a broker that accepts connections and
  never answers (benchmarks/notify_broker_down.py). Here the request thread only appends to an
  in-memory backlog; a daemon thread publishes it with short timeouts and no retry.
- Nothing is lost: a message that cannot be published is dropped and logged, and every task
  queued this way has a periodic sweep that finds the work again from database state (pending
  outbox rows, pending documents, …). Do not queue through here work that no sweep can find.
- Without a broker (embedded demo, tests: `task_always_eager`), the task runs inline after the
  commit. Inside a Celery task (a fan-out, a relay's next batch) no request waits: the message is
  published there and then, with Celery's retries.

Identical messages waiting in the backlog are coalesced into one (ten notifications committed
while the broker is slow publish one `outbox_relay`, not ten).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.db import transaction

# A Celery task (typed loosely: celery ships no stubs), its positional and keyword arguments.
Task = Any
Message = tuple[Any, tuple[Any, ...], dict[str, Any]]

logger = logging.getLogger(__name__)

# A broker that is away for long fills no memory: past this, new messages are dropped (and swept).
MAX_BACKLOG = 10_000


def enqueue_after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` after the current transaction commits; never blocks, never raises."""

    def enqueue_once_committed() -> None:  # a named function: Django logs a robust callback's failure by its name
        enqueue_now(task, *args, **kwargs)

    transaction.on_commit(enqueue_once_committed, robust=True)


def enqueue_now(task: Task, *args: Any, **kwargs: Any) -> None:
    """What runs on commit. Callers use `enqueue_after_commit`."""
    if task.app.conf.task_always_eager:
        # No broker (local demo, tests): run here, there is nothing to wait for.
        task.apply(args=args, kwargs=kwargs)
    elif _in_worker():
        # A task queueing more work (a fan-out, a relay's next batch) holds no request: publish
        # here with Celery's own retries rather than from a thread a recycled worker may kill.
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            logger.warning(
                "Could not queue %s%s from a worker; its sweep will find it.", task.name, args, exc_info=True
            )
    else:
        publisher.submit(task, args, kwargs)


def _in_worker() -> bool:
    from celery import current_task

    # `current_task` is a proxy: false outside a task.
    return bool(current_task) and not current_task.request.called_directly


def publish_timeout() -> float:
    return float(getattr(settings, "BACKGROUND_PUBLISH_TIMEOUT", 1.0))


def _publish(batch: list[Message]) -> None:
    """Publish messages over one connection, short connect/read timeouts, no retry."""
    if not batch:
        return
    app = batch[0][0].app
    timeout = publish_timeout()
    # Redis reads its timeouts from the transport options; max_retries=0: fail on the first refusal.
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout, "max_retries": 0}
    with app.connection_for_write(transport_options=options) as connection:
        for task, args, kwargs in batch:
            # apply_async keeps the task's routing (documents builds go to the `reports` queue).
            task.apply_async(args=args, kwargs=kwargs, connection=connection, retry=False)


class Publisher:
    """Publishes submitted messages from a daemon thread, one per process (started on first use)."""

    def __init__(self) -> None:
        self._reset()
        self.last_error: Exception | None = None
        # A child forked while the lock was held (gunicorn, prefork workers) would wait forever on it.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._backlog: dict[tuple[str, str, str], Message] = {}
        self._requested = 0
        self._handled = 0
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def submit(self, task: Task, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> None:
        kwargs = kwargs or {}
        key = (task.name, repr(args), repr(sorted(kwargs.items())))
        with self._cond:
            # A forked process does not inherit the thread: start one in each process.
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="background-publisher", daemon=True)
                self._thread.start()
            if key not in self._backlog:
                if len(self._backlog) >= MAX_BACKLOG:
                    logger.warning("Background backlog full: %s%s dropped; its sweep will find it.", task.name, args)
                else:
                    self._backlog[key] = (task, tuple(args), kwargs)
            self._requested += 1
            self._cond.notify()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once everything submitted so far has been handled (tests and the benchmark wait on it)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._handled == self._requested, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._handled != self._requested)
                target = self._requested
                batch, self._backlog = list(self._backlog.values()), {}
            try:
                _publish(batch)
            except Exception as exc:
                dropped = [(task.name, args) for task, args, _kwargs in batch]
                # A warning once per outage, not once per message; the rest at INFO.
                level = logging.WARNING if self.last_error is None else logging.INFO
                logger.log(
                    level, "Broker unreachable (%s): not queued %s; the periodic sweeps will pick it up.", exc, dropped
                )
                self.last_error = exc
            else:
                if self.last_error is not None:
                    logger.warning("Broker reachable again: background work is queued on commit.")
                self.last_error = None
            with self._cond:
                self._handled = target
                self._cond.notify_all()


publisher = Publisher()
