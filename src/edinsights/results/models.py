"""The result store: tables and columns named as in the original Open edX result store.

Operators' existing SQL against `course_enrollment_daily` and friends keeps working. Every
row carries `created`, the time the pipeline published it. `MetricRun` is edinsights' own
bookkeeping: the last successful run of each metric ("data last updated").
"""

from __future__ import annotations

from django.db import models


class MetricRun(models.Model):
    """One successful publication of a metric's result table."""

    metric = models.CharField(max_length=100)
    table = models.CharField(max_length=100)
    started = models.DateTimeField()
    finished = models.DateTimeField()
    rows = models.BigIntegerField()
    date_from = models.DateField(null=True)
    date_to = models.DateField(null=True)

    class Meta:
        db_table = "edinsights_metric_run"
        indexes = [models.Index(fields=["metric", "-finished"], name="metric_run_latest")]


class ComputeRun(models.Model):
    """One `edinsights compute` / `edinsights run`: when it started and, if it did, when it finished.

    Each metric is published in its own transaction, so a run killed (or failed) half way leaves
    some tables from it and others from the run before; `finished` NULL on the latest run is
    how the dashboard knows to say so.
    """

    started = models.DateTimeField()
    finished = models.DateTimeField(null=True)

    class Meta:
        db_table = "edinsights_compute_run"
        indexes = [models.Index(fields=["-started"], name="compute_run_latest")]


def model_for_table(table: str) -> type[models.Model]:
    """The result-store model whose table is `table` (metrics name their table, not the model):
    a module's result model (edinsights.modules), or the core's MetricRun."""
    from edinsights.modules import modules

    known: list[type[models.Model]] = [
        *(model for module in modules() for model in module.result_models()),
        MetricRun,
    ]
    for model in known:
        if model._meta.db_table == table:
            return model
    raise LookupError(f"no result-store table {table!r}")
