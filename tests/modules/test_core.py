"""Nothing in the core names a family: metrics, tables, courses, URLs and navigation come from modules()."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from edinsights import modules as registry
from edinsights.families.totals.metrics import EVENT_TOTALS
from edinsights.metrics.registry import Metric, metrics
from edinsights.modules import AnalyticsModule, NavigationEntry
from tests.modules.conftest import third_party_modules


def fake(monkeypatch: pytest.MonkeyPatch, *found: AnalyticsModule) -> None:
    """The installed modules are these (the core calls edinsights.modules.modules())."""
    monkeypatch.setattr(registry, "modules", lambda: found)


def metric(name: str, table: str = "t") -> Metric:
    return Metric(
        name=name, inputs=("events",), sql="SELECT 1", table=table, columns=("x",), description=name
    )


def test_metrics_are_the_modules_metrics_in_module_order(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = [m.name for module in registry.modules() for m in module.metrics]
    assert list(metrics()) == declared
    assert (
        len(
            [
                m
                for module in registry.modules()
                if module.name in registry.BUILTIN_ORDER
                for m in module.metrics
            ]
        )
        == 15
    )
    fake(monkeypatch, AnalyticsModule("b", metrics=(metric("two"), metric("one"))), AnalyticsModule("a"))
    assert list(metrics()) == ["two", "one"]


def test_a_metric_declared_by_two_modules_is_an_error_naming_both(monkeypatch: pytest.MonkeyPatch) -> None:
    fake(
        monkeypatch,
        AnalyticsModule("first", metrics=(metric("same"),)),
        AnalyticsModule("second", metrics=(metric("same"),)),
    )
    with pytest.raises(ValueError, match="'same' is in modules 'first' and 'second'"):
        metrics()


def test_model_for_table_reads_the_modules_models(django_home, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.totals.models import EventTotalsDaily
    from edinsights.families.video.models import Video
    from edinsights.results.models import MetricRun, model_for_table

    assert model_for_table("video") is Video
    fake(monkeypatch, AnalyticsModule("totals", metrics=(EVENT_TOTALS,), models=("totals.EventTotalsDaily",)))
    assert model_for_table("edinsights_event_totals_daily") is EventTotalsDaily
    assert model_for_table("edinsights_metric_run") is MetricRun  # the core's own
    with pytest.raises(LookupError, match="no result-store table 'video'"):
        model_for_table("video")


def test_course_exists_reads_the_modules_course_models(django_home, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from edinsights.dashboard.pages import course_exists
    from edinsights.families.totals.models import EventTotalsDaily

    course = "course-v1:ModulesTest+Exists+2026"
    EventTotalsDaily.objects.create(
        course_id=course, date=date(2026, 1, 5), events=3, active_learners=1, created=datetime.now(UTC)
    )
    try:
        # The built-ins do not count event totals (as before): the course is unknown.
        assert not course_exists(course)
        fake(
            monkeypatch,
            AnalyticsModule(
                "t", models=("totals.EventTotalsDaily",), course_models=("totals.EventTotalsDaily",)
            ),
        )
        assert course_exists(course)
        assert not course_exists("course-v1:ModulesTest+Other+2026")
    finally:
        EventTotalsDaily.objects.filter(course_id=course).delete()


def test_the_navigation_is_the_home_then_the_modules_entries(
    django_home, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from edinsights.dashboard.views import course_navigation

    others = {entry.key for module in third_party_modules() for entry in module.navigation}
    keys = [entry.key for entry in course_navigation() if entry.key not in others]
    assert keys == [
        "home",
        "enrollment-activity",
        "engagement-content",
        "engagement-videos",
        "engagement-learners",
        "performance-graded",
        "performance-ungraded",
        "performance-problems",
        "performance-outcomes",
        "performance-tags",
    ]
    fake(
        monkeypatch,
        AnalyticsModule("late", navigation=(NavigationEntry("late", "videos", "Late", order=90),)),
        AnalyticsModule("early", navigation=(NavigationEntry("early", "tags", "Early", "Group", order=1),)),
    )
    assert [(e.key, e.group) for e in course_navigation()] == [("home", ""), ("early", "Group"), ("late", "")]


# The URL confs before modules (d2ee3cf), name → route: the modules' patterns must give them all.
API_ROUTES = {
    "api-structure": "courses/<path:course_id>/structure/",
    "api-enrollment": "courses/<path:course_id>/enrollment/",
    "api-enrollment-mode": "courses/<path:course_id>/enrollment/mode/",
    "api-activity": "courses/<path:course_id>/activity/",
    "api-recent-activity": "courses/<path:course_id>/recent_activity/",
    "api-problems": "courses/<path:course_id>/problems/",
    "api-problems-and-tags": "courses/<path:course_id>/problems_and_tags/",
    "api-videos": "courses/<path:course_id>/videos/",
    "api-user-engagement": "courses/<path:course_id>/user_engagement/",
    "api-answer-distribution": "problems/<path:problem_id>/answer_distribution/",
    "api-video-timeline": "videos/<path:video_id>/timeline/",
    "api-course-summaries": "course_summaries/",
    "api-course-totals": "course_totals/",
    "api-status": "status",
    "api-authenticated": "authenticated",
    "api-health": "health",
}
DASHBOARD_ROUTES = [
    ("index", ""),
    ("courses", "courses/"),
    ("enrollment_activity", "courses/<path:course_id>/enrollment/activity/"),
    ("engagement_content", "courses/<path:course_id>/engagement/content/"),
    ("engagement_sections", "courses/<path:course_id>/engagement/content/sections/"),
    ("video", "courses/<path:course_id>/engagement/videos/<eventid:block>/"),
    ("videos-section", "courses/<path:course_id>/engagement/videos/<str:section>/"),
    ("videos-subsection", "courses/<path:course_id>/engagement/videos/<str:section>/<str:subsection>/"),
    ("videos", "courses/<path:course_id>/engagement/videos/"),
    ("learners", "courses/<path:course_id>/engagement/learners/"),
    ("problem", "courses/<path:course_id>/performance/problems/<eventid:module_id>/"),
    ("problem_by_path", "courses/<path:course_id>/performance/problems/<path:module_id>/"),
    ("problems", "courses/<path:course_id>/performance/problems/"),
    ("tags", "courses/<path:course_id>/performance/tags/"),
    ("graded", "courses/<path:course_id>/performance/graded/"),
    ("graded_type", "courses/<path:course_id>/performance/graded/<str:type>/"),
    ("graded_assignment", "courses/<path:course_id>/performance/graded/<str:type>/<str:assignment>/"),
    ("ungraded", "courses/<path:course_id>/performance/ungraded/"),
    ("ungraded_section", "courses/<path:course_id>/performance/ungraded/<str:section>/"),
    ("ungraded_subsection", "courses/<path:course_id>/performance/ungraded/<str:section>/<str:subsection>/"),
    ("outcome", "courses/<path:course_id>/performance/outcomes/<eventid:outcome>/"),
    ("outcomes", "courses/<path:course_id>/performance/outcomes/"),
    ("course", "courses/<path:course_id>/"),
]


def test_the_url_confs_are_the_modules_patterns_with_every_route_kept(django_home) -> None:  # type: ignore[no-untyped-def]
    from edinsights.api import urls as api_urls
    from edinsights.dashboard import urls as dashboard_urls

    others = third_party_modules()
    other_api = {p.name for module in others for p in registry.url_patterns(module.api_urls)}
    other_pages = {p.name for module in others for p in registry.url_patterns(module.dashboard_urls)}
    named = {p.name: str(p.pattern) for p in api_urls.urlpatterns if p.name and p.name not in other_api}
    assert named == API_ROUTES
    # In the same order: a course id may hold slashes, the course home must come last.
    assert [
        (p.name, str(p.pattern)) for p in dashboard_urls.urlpatterns if p.name not in other_pages
    ] == DASHBOARD_ROUTES
    from_modules = [p for module in registry.modules() for p in registry.url_patterns(module.dashboard_urls)]
    # The core's own: the index first and the course home last; the Courses list is the
    # enrollment module's.
    assert dashboard_urls.urlpatterns[1:-1] == from_modules
    assert {p.name for m in registry.modules() for p in registry.url_patterns(m.api_urls)} - other_api == set(
        API_ROUTES
    ) - {
        "api-status",
        "api-authenticated",
        "api-health",
    }


def test_each_module_claims_its_own_tables(django_home) -> None:  # type: ignore[no-untyped-def]
    for module in registry.modules():
        tables = {model._meta.db_table for model in module.result_models()}
        assert {m.table for m in module.metrics} == tables, module.name
        assert set(module.course_result_models()) <= set(module.result_models())


def test_the_video_module_lives_in_its_own_package(django_home) -> None:  # type: ignore[no-untyped-def]
    """The shape of a module: metrics with their SQL, API views, page builders and routes in one package."""
    from pathlib import Path

    import edinsights.families.video as video
    import edinsights.metrics as core_metrics

    assert video.MODULE.name == "video"
    package = Path(video.__file__).parent
    for sql in ("video_segments.sql", "video.sql", "video_timeline.sql"):
        assert (package / sql).is_file() and not (Path(core_metrics.__file__).parent / sql).exists()
    # What a viewing starts from is shared with learner engagement: the core's snippet.
    from edinsights.metrics.snippets import VIDEO_EVENTS

    assert "WITH video_events AS" in VIDEO_EVENTS and not (package / "video_events.sql").exists()
    views = [
        *(p.callback.view_class for p in registry.url_patterns(video.MODULE.api_urls)),
        *(p.callback for p in registry.url_patterns(video.MODULE.dashboard_urls)),
    ]
    assert (
        len(views) == 6
    )  # two API views; the pages: a video or a section (two routes), a subsection, the list
    for view in views:
        assert view.__module__.startswith("edinsights.families.video."), view
