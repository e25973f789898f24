"""`/api/v0/`: the original Analytics Data API's paths (course ids may contain slashes).

The endpoints over result tables come from the modules (edinsights.modules, `api_urls`, in
module order); the service endpoints are the core's.
"""

from django.urls import path

from edinsights.api import status
from edinsights.modules import modules, url_patterns

urlpatterns = [
    # Spliced in flat (not include()d): URL names stay global (`api-enrollment`).
    *(pattern for module in modules() for pattern in url_patterns(module.api_urls)),
    # The original client asks for these without a trailing slash (the slash forms stay out of the schema).
    path("status", status.StatusView.as_view(), name="api-status"),
    path("status/", status.StatusView.as_view(schema=None)),
    path("authenticated", status.AuthenticatedView.as_view(), name="api-authenticated"),
    path("authenticated/", status.AuthenticatedView.as_view(schema=None)),
    path("health", status.HealthView.as_view(), name="api-health"),
    path("health/", status.HealthView.as_view(schema=None)),
]
