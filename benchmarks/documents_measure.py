"""Reusable measuring helpers for PDF rendering benchmarks (time, memory, pages).

    from documents_measure import measure, print_table   # from a script in benchmarks/

    run = measure(lambda: render_pdf(template_name=..., context=...), label="bilan 2025")
    print_table([run])

What is measured, and what it means:
- `seconds`: wall-clock time of the call (time.perf_counter);
- `traced_peak_mib`: peak of Python allocations during the call (tracemalloc). WeasyPrint's layout
  tree is Python objects, so this is most of its working set; tracing slows the call down (~1.3-2x),
  so `seconds` is measured on a separate, untraced call unless `trace=False`;
- `rss_peak_mib` / `rss_growth_mib`: the process's peak resident memory (getrusage ru_maxrss,
  which includes C allocations of Pango/HarfBuzz/cairo-free pydyf) and how much the peak grew during
  this call. The peak never goes down: run the renders of interest in a fresh process, or read the
  growth over repeated renders, which is why report workers are recycled (--max-tasks-per-child);
- `current_rss_mib`: resident memory after the call (from /proc/self/statm), which shows memory
  WeasyPrint keeps between documents.
"""

from __future__ import annotations

import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MIB = 1024 * 1024


def peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / MIB
    except (OSError, ValueError):
        return float("nan")


@dataclass
class Measurement:
    label: str
    seconds: float
    traced_peak_mib: float
    rss_peak_mib: float
    rss_growth_mib: float
    current_rss_mib: float
    result: Any = None
    # CPU of the process (time.process_time): on a machine shared with other work the wall time
    # above grows with the load; the CPU a build costs barely moves.
    cpu_seconds: float = float("nan")

    @property
    def pages(self) -> int | None:
        return getattr(self.result, "pages", None)

    @property
    def size_kib(self) -> float | None:
        content = getattr(self.result, "content", None)
        return len(content) / 1024 if content is not None else None


def measure(func: Callable[[], Any], *, label: str = "", trace: bool = True) -> Measurement:
    """Run `func` once untraced (time, RSS) and, when `trace`, once more under tracemalloc."""
    gc.collect()
    rss_before = peak_rss_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = func()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rss_after = peak_rss_mib()
    traced_peak = float("nan")
    if trace:
        gc.collect()
        tracemalloc.start()
        try:
            func()
            traced_peak = tracemalloc.get_traced_memory()[1] / MIB
        finally:
            tracemalloc.stop()
    return Measurement(
        label=label,
        seconds=seconds,
        traced_peak_mib=traced_peak,
        rss_peak_mib=rss_after,
        rss_growth_mib=rss_after - rss_before,
        current_rss_mib=current_rss_mib(),
        result=result,
        cpu_seconds=cpu_seconds,
    )


def print_table(runs: list[Measurement]) -> None:
    header = (
        f"{'run':<28} {'pages':>5} {'KiB':>7} {'s':>7} {'py peak MiB':>11} {'RSS peak':>9} {'RSS +':>7} {'RSS now':>8}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        pages = "" if run.pages is None else run.pages
        size = "" if run.size_kib is None else f"{run.size_kib:.0f}"
        print(
            f"{run.label:<28} {pages:>5} {size:>7} {run.seconds:>7.2f} {run.traced_peak_mib:>11.1f} "
            f"{run.rss_peak_mib:>9.1f} {run.rss_growth_mib:>7.1f} {run.current_rss_mib:>8.1f}"
        )
