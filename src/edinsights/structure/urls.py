"""The structure module's routes: `api_urls` (under /api/v0/)."""

from django.urls import path

from edinsights.dashboard.converters import COURSE
from edinsights.structure import api

api_urls = [
    path(COURSE + "structure/", api.StructureView.as_view(), name="api-structure"),
]
