"""Daily event totals: edinsights' own health view of what it ingests (no API, no page yet)."""

from edinsights.metrics.totals import EVENT_TOTALS
from edinsights.modules import AnalyticsModule

MODULE = AnalyticsModule(
    name="totals",
    metrics=(EVENT_TOTALS,),
    models=("results.EventTotalsDaily",),
    docs=("docs/metrics.md",),
)
