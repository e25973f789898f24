"""The course home and the course title come from the modules' hooks, in module order."""

from __future__ import annotations

import pytest

import edinsights.modules as registry
from edinsights.modules import AnalyticsModule


@pytest.fixture(autouse=True)
def django(django_home):  # type: ignore[no-untyped-def]
    return django_home


def part_one(course: str):  # type: ignore[no-untyped-def]
    from edinsights.dashboard.pages import HomePart
    from edinsights.dashboard.presentation import Tile

    return HomePart(tiles=[Tile("one", 1)], metrics=("m1",))


def part_two(course: str):  # type: ignore[no-untyped-def]
    from edinsights.dashboard.pages import HomePart, Section
    from edinsights.dashboard.presentation import Column, Table, Tile

    table = Table("weeks", [Column("week", "Week")], [{"week": course}])
    return HomePart(
        tiles=[Tile("two", 2)], sections=[Section(table)], metrics=("m2",), empty="nothing from two"
    )


def no_title(course: str) -> None:
    return None


def title(course: str) -> str:
    return f"Title of {course}"


def test_the_home_shows_each_module_part_in_module_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from edinsights.dashboard import pages

    found = (
        AnalyticsModule("one", course_home=f"{__name__}:part_one"),
        AnalyticsModule("bare"),
        AnalyticsModule("two", course_home=f"{__name__}:part_two"),
    )
    monkeypatch.setattr(registry, "modules", lambda: found)
    home = pages.course_home("course-v1:A+B+C")
    assert [(tile.label, tile.value) for tile in home.tiles] == [("one", 1), ("two", 2)]
    assert home.metrics == ("m1", "m2")
    assert home.empty == "nothing from two" and home.sections[0].table.rows == [{"week": "course-v1:A+B+C"}]


def test_the_title_is_the_first_module_that_knows_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from edinsights.dashboard import pages

    found = (
        AnalyticsModule("silent", course_title=f"{__name__}:no_title"),
        AnalyticsModule("named", course_title=f"{__name__}:title"),
    )
    monkeypatch.setattr(registry, "modules", lambda: found)
    assert pages.course_title("X") == "Title of X"
    monkeypatch.setattr(registry, "modules", lambda: found[:1])
    assert pages.course_title("X") == "X"


def test_a_hook_that_does_not_load_is_an_error_naming_the_module() -> None:
    from edinsights.modules.checks import module_messages

    found = (
        AnalyticsModule("lost", course_home="no_such_module_anywhere:home"),
        AnalyticsModule("typo", course_title=f"{__name__}:nothing_here"),
        AnalyticsModule("dotless", course_home="just.a.module"),
        AnalyticsModule("fine", course_home=f"{__name__}:part_one", course_title=f"{__name__}:title"),
    )
    errors = [(message.id, message.msg) for message in module_messages(found)]
    assert [identifier for identifier, _ in errors] == ["edinsights.E018"] * 3
    assert "'lost': course_home 'no_such_module_anywhere:home' does not load" in errors[0][1]
    assert "'typo': course_title" in errors[1][1] and "'dotless': course_home" in errors[2][1]


def test_the_builtins_give_the_home_every_family_part() -> None:
    found = {module.name: module for module in registry.modules()}
    assert [name for name, module in found.items() if module.course_home] == [
        "enrollment",
        "activity",
        "video",
        "problems",
    ]
    assert [name for name, module in found.items() if module.course_title] == ["enrollment"]
