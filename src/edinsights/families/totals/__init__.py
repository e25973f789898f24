"""Daily event totals: edinsights' own health view of what it ingests (no API, no page yet)."""

from edinsights.families.totals.metrics import EVENT_TOTALS
from edinsights.modules import AnalyticsModule

MODULE = AnalyticsModule(
    name="totals",
    app="edinsights.families.totals",
    metrics=(EVENT_TOTALS,),
    models=("totals.EventTotalsDaily",),
    docs=("docs/metrics.md",),
)
