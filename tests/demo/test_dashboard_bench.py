"""bench/dashboard finds the dashboard's course pages in the URL conf and knows what each
parameter of theirs names, so a page added later is measured without editing the bench (a
route with a parameter name it cannot fill fails here: teach `role()` the name)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from edinsights.config import Settings

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench(django_home: Settings) -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        loader = importlib.machinery.SourceFileLoader("dashboard_bench", str(BENCH / "dashboard"))
        spec = importlib.util.spec_from_loader("dashboard_bench", loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_every_course_route_is_found_and_its_parameters_known(bench: ModuleType) -> None:
    from django.urls import reverse

    routes = {route.name: route for route in bench.course_routes()}
    assert {"dashboard:course", "dashboard:videos", "dashboard:video", "dashboard:problem"} <= set(routes)
    assert routes["dashboard:video"].parameters == ["block"]
    for route in routes.values():
        assert route.route.startswith(bench.COURSE_PREFIX)
        for parameter in route.parameters:
            assert bench.role(parameter, route.route) is not None, (route.route, parameter)
        # The labels the table prints stand for the route.
        assert route.label.startswith("…/") and "course_id" not in route.label
    assert reverse("dashboard:video", kwargs={"course_id": "c", "block": "b"}).endswith(
        "/engagement/videos/b/"
    )


@pytest.mark.parametrize(
    ("parameter", "route", "expected"),
    [
        ("block", "courses/<path:course_id>/engagement/videos/<eventid:block>/", "video"),
        ("module_id", "courses/<path:course_id>/performance/problems/<eventid:module_id>/", "problem"),
        ("section", "courses/<path:course_id>/engagement/videos/<str:section>/", "section"),
        (
            "subsection",
            "courses/<path:course_id>/performance/ungraded/<str:section>/<str:subsection>/",
            "subsection",
        ),
        ("type", "courses/<path:course_id>/performance/graded/<str:type>/", "type"),
        ("assignment_type", "courses/<path:course_id>/performance/graded/<str:assignment_type>/", "type"),
        (
            "assignment",
            "courses/<path:course_id>/performance/graded/<str:type>/<str:assignment>/",
            "assignment",
        ),
        ("outcome", "courses/<path:course_id>/performance/outcomes/<eventid:outcome>/", "outcome"),
        ("widget", "courses/<path:course_id>/elsewhere/<str:widget>/", None),
    ],
)
def test_role(bench: ModuleType, parameter: str, route: str, expected: str | None) -> None:
    assert bench.role(parameter, route) == expected
