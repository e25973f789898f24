"""When ("data last updated") the pipeline last published a set of metrics (MetricRun bookkeeping).

The API's `Data-Last-Updated` header and the dashboard's "data last updated" line both read it
here. Each worker process asks the database at most every few seconds per metric set; a
publication made in this process (tests, `edinsights demo`) shows at once.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.db.models.signals import post_save

from edinsights.results.models import MetricRun

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


def _forget(**kwargs: Any) -> None:
    _cache.clear()


post_save.connect(_forget, sender=MetricRun)
