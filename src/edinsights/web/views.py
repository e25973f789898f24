"""Pages of the web side. Until metrics exist, the home page shows what the event store holds."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from edinsights.events.overview import overview
from edinsights.events.store import EventStore


def _store() -> EventStore:
    return EventStore(settings.EDINSIGHTS.store_path)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The event store's overview: every course id with its counts, hence staff only.

    Signed out: the sign-in page. Signed in without staff status (a course-scoped account, an LMS
    learner): 403, the same page as for any other place this account may not go.
    """
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied
    return render(request, "web/home.html", {"overview": overview(_store())})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitors: the process answers and the store is readable."""
    entries = _store().manifest.entries()
    return JsonResponse({"status": "ok", "files_ingested": len(entries)})
