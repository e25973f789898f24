"""The structure module: publishes the imported outline and grading policy into the result store,
serves `courses/{id}/structure/` and gives every module's pages the outline (outline.py).

The import itself (readers, traversal, Parquet storage) is core and names no module; this
module is what makes it readable where pages and the API read.
"""

from edinsights.modules import AnalyticsModule
from edinsights.structure.metrics import COURSE_GRADING_POLICY, COURSE_STRUCTURE

MODULE = AnalyticsModule(
    name="structure",
    app="edinsights.structure",
    metrics=(COURSE_STRUCTURE, COURSE_GRADING_POLICY),
    models=("structure.CourseBlock", "structure.GradingPolicyEntry"),
    api_urls="edinsights.structure.urls:api_urls",
    docs=("docs/structure.md", "docs/api.md"),
)
