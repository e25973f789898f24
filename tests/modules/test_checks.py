"""The system checks over modules: each clash is an error naming both modules."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import path

from edinsights.metrics.registry import Metric
from edinsights.modules import AnalyticsModule, LoadError, NavigationEntry


def view(request):  # type: ignore[no-untyped-def]
    return HttpResponse()


def metric(name: str, table: str) -> Metric:
    return Metric(name=name, inputs=("events",), sql="SELECT 1", table=table, description=name)


def messages(*found: AnalyticsModule, errors: tuple[LoadError, ...] = ()) -> list[tuple[str, str]]:
    from edinsights.modules.checks import module_messages

    return [(message.id, message.msg) for message in module_messages(found, errors)]


@pytest.fixture(autouse=True)
def django(django_home):  # type: ignore[no-untyped-def]
    return django_home


def test_distinct_modules_pass() -> None:
    assert (
        messages(
            AnalyticsModule(
                "one",
                metrics=(metric("m1", "video"),),
                models=("video.Video",),
                course_models=("video.Video",),
                api_urls=[path("one/", view, name="api-one")],
                dashboard_urls=[path("courses/<path:course_id>/one/", view, name="one")],
                navigation=(NavigationEntry("one", "one", "One"),),
            ),
            AnalyticsModule(
                "two",
                metrics=(metric("m2", "video_timeline"),),
                models=("video.VideoTimeline",),
                api_urls=[path("two/", view, name="api-two")],
                dashboard_urls=[path("courses/<path:course_id>/two/", view, name="two")],
                navigation=(NavigationEntry("two", "two", "Two"),),
            ),
        )
        == []
    )


def test_the_builtins_pass() -> None:
    from edinsights.modules import modules
    from edinsights.modules.checks import module_messages

    assert module_messages(modules(), builtins_expected=True) == []


def test_a_module_name_twice() -> None:
    assert messages(AnalyticsModule("same"), AnalyticsModule("same")) == [
        ("edinsights.E010", "module name 'same' is claimed by modules 'same' and 'same'")
    ]


def test_a_result_table_claimed_by_two_modules_by_model_or_by_metric() -> None:
    assert messages(
        AnalyticsModule("a", models=("video.Video",)), AnalyticsModule("b", metrics=(metric("x", "video"),))
    ) == [
        ("edinsights.E011", "result table 'video' is claimed by modules 'a' and 'b'"),
        ("edinsights.E020", "module 'b': metric 'x' writes table 'video', which none of its models has"),
    ]


def test_an_api_route_and_an_api_name_claimed_twice() -> None:
    found = messages(
        AnalyticsModule("a", api_urls=[path("x/", view, name="api-x")]),
        AnalyticsModule("b", api_urls=[path("x/", view, name="api-y"), path("z/", view, name="api-x")]),
    )
    assert found == [
        ("edinsights.E012", "API route 'x/' is claimed by modules 'a' and 'b'"),
        ("edinsights.E013", "API URL name 'api-x' is claimed by modules 'a' and 'b'"),
    ]


def test_a_dashboard_route_and_name_claimed_twice() -> None:
    found = messages(
        AnalyticsModule("a", dashboard_urls=[path("courses/<path:course_id>/p/", view, name="p")]),
        AnalyticsModule("b", dashboard_urls="edinsights.families.video.urls:dashboard_urls"),
        AnalyticsModule("c", dashboard_urls=[path("courses/<path:course_id>/p/", view, name="videos")]),
    )
    assert found == [
        (
            "edinsights.E014",
            "dashboard route 'courses/<path:course_id>/p/' is claimed by modules 'a' and 'c'",
        ),
        ("edinsights.E015", "dashboard URL name 'videos' is claimed by modules 'b' and 'c'"),
    ]


def test_a_navigation_key_twice() -> None:
    assert messages(
        AnalyticsModule("a", navigation=(NavigationEntry("k", "x", "X"),)),
        AnalyticsModule("b", navigation=(NavigationEntry("k", "y", "Y"),)),
    ) == [("edinsights.E016", "navigation key 'k' is claimed by modules 'a' and 'b'")]


def test_a_metric_name_twice() -> None:
    assert messages(
        AnalyticsModule("a", metrics=(metric("m", "video"),), models=("video.Video",)),
        AnalyticsModule("b", metrics=(metric("m", "video_timeline"),), models=("video.VideoTimeline",)),
    ) == [("edinsights.E017", "metric name 'm' is claimed by modules 'a' and 'b'")]


def test_what_does_not_resolve_is_named() -> None:
    found = messages(
        AnalyticsModule(
            "a",
            models=("video.NoSuchModel",),
            course_models=("video.Video",),
            api_urls="no_such_package.urls",
        )
    )
    assert [message_id for message_id, _ in found] == ["edinsights.E018"] * 3
    text = " ".join(message for _, message in found)
    assert "module 'a': no model 'video.NoSuchModel'" in text
    assert "course model 'video.Video' is not one of its models" in text
    assert "api_urls 'no_such_package.urls' do not load: ModuleNotFoundError" in text


def test_missing_builtins_and_load_errors() -> None:
    from edinsights.modules.checks import module_messages

    found = module_messages(
        [AnalyticsModule("video")],
        [LoadError("forum = edinsights_forum:MODULE", "edinsights-forum", "ImportError: boom")],
        builtins_expected=True,
    )
    assert [(m.id, m.msg) for m in found] == [
        (
            "edinsights.E019",
            "edinsights' own modules are not installed:"
            " structure, enrollment, activity, engagement, problems, totals",
        ),
        (
            "edinsights.W010",
            "module entry point 'forum = edinsights_forum:MODULE' of edinsights-forum"
            " failed to load and is skipped: ImportError: boom",
        ),
    ]


def test_the_check_is_registered_with_django(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.checks import run_checks

    from edinsights.modules import checks as module_checks

    assert not [m for m in run_checks() if m.id.startswith("edinsights.E01")]
    monkeypatch.setattr(module_checks, "modules", lambda: (AnalyticsModule("x"), AnalyticsModule("x")))
    ids = [m.id for m in run_checks()]
    assert "edinsights.E010" in ids and "edinsights.E019" in ids


def test_declared_metric_columns_must_be_the_models() -> None:
    from dataclasses import replace

    timeline = ("pipeline_video_id", "segment", "num_users", "num_views")
    good = replace(metric("t", "video_timeline"), columns=timeline)
    bad = replace(
        metric("t", "video_timeline"), columns=("segment", "pipeline_video_id", "num_users", "num_views")
    )
    assert messages(AnalyticsModule("a", metrics=(good,), models=("video.VideoTimeline",))) == []
    assert messages(AnalyticsModule("a", metrics=(bad,), models=("video.VideoTimeline",))) == [
        (
            "edinsights.E020",
            "module 'a': metric 't' declares columns ['segment', 'pipeline_video_id', 'num_users', "
            "'num_views'] but its model video.VideoTimeline has "
            "['pipeline_video_id', 'segment', 'num_users', 'num_views']",
        )
    ]


def test_undeclared_metric_columns_are_the_models_fields_but_id_and_created() -> None:
    assert metric("t", "video_timeline").result_columns() == (
        "pipeline_video_id",
        "segment",
        "num_users",
        "num_views",
    )
