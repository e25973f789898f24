"""When ("data last updated") the pipeline last published a set of metrics (MetricRun bookkeeping),
and whether the last compute run finished (ComputeRun).

The API's `Data-Last-Updated` header and the dashboard's "data last updated" line both read it
here; the dashboard says when the last compute did not finish. Each worker process asks the
database at most every few seconds per metric set; a publication made in this process (tests,
`edinsights demo`) shows at once.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from edinsights.results.models import ComputeRun, MetricRun

CACHE_SECONDS = 10.0
"""How long a worker reuses an answer (publications by other processes show within this)."""

_cache: dict[tuple[str, ...], tuple[float, datetime | None]] = {}


def last_published(metrics: tuple[str, ...]) -> datetime | None:
    """When the last of `metrics` was last published; None: never."""
    now = time.monotonic()
    cached = _cache.get(metrics)
    if cached is None or cached[0] <= now:
        last = MetricRun.objects.filter(metric__in=metrics).aggregate(last=Max("finished"))["last"]
        cached = _cache[metrics] = (now + CACHE_SECONDS, last)
    return cached[1]


_UNFINISHED = ("unfinished compute",)  # a cache key no metric set can be


def unfinished_compute() -> datetime | None:
    """When the latest compute run started, if it has not finished (killed, failed or running)."""
    now = time.monotonic()
    cached = _cache.get(_UNFINISHED)
    if cached is None or cached[0] <= now:
        latest = ComputeRun.objects.order_by("-started", "-id").values("started", "finished").first()
        started = latest["started"] if latest and latest["finished"] is None else None
        cached = _cache[_UNFINISHED] = (now + CACHE_SECONDS, started)
    return cached[1]


def _forget(**kwargs: Any) -> None:
    _cache.clear()


post_save.connect(_forget, sender=MetricRun)
post_save.connect(_forget, sender=ComputeRun)
post_delete.connect(_forget, sender=ComputeRun)
