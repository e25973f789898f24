"""Each family's vocabulary is written once (families/<family>/vocabulary.py) and its SQL, API,
pages and the simulator agree with it; the engagement and problems modules live in their packages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edinsights import modules as registry
from edinsights.families.engagement import vocabulary as engagement
from edinsights.families.problems import vocabulary as problems
from edinsights.metrics.literals import PLACEHOLDER, constants, render, sql_literal


def placeholders(vocabulary: object) -> list[str]:
    """The placeholders of the SQL files beside a vocabulary module, in file and text order."""
    package = Path(vocabulary.__file__).parent  # type: ignore[attr-defined]
    return [name for sql in sorted(package.glob("*.sql")) for name in PLACEHOLDER.findall(sql.read_text())]


@pytest.mark.parametrize(
    ("vocabulary", "not_in_sql"),
    [(engagement, set()), (problems, {"INCORRECT"})],  # the simulator logs INCORRECT; no metric needs it
)
def test_the_sql_names_every_constant_and_only_those(vocabulary: object, not_in_sql: set[str]) -> None:
    names = constants(vocabulary)  # type: ignore[arg-type]
    used = set(placeholders(vocabulary))
    assert used <= set(names)
    assert set(names) - used == not_in_sql


def test_the_learner_metrics_sql_yields_the_pages_metrics_in_their_order() -> None:
    sql = (Path(engagement.__file__).parent / "engagement_learners.sql").read_text()
    learner_metrics = sql[sql.index("learner_metrics AS") :]
    values = constants(engagement)
    named = [values[name] for name in PLACEHOLDER.findall(learner_metrics)]
    assert named == list(engagement.ENGAGEMENT_METRICS)


def test_the_ranges_sql_orders_by_the_vocabulary_range_types() -> None:
    from edinsights.families.engagement.metrics import RANGES

    assert f"list_position({sql_literal(engagement.RANGE_TYPES)}, range_type)" in RANGES
    for range_type in engagement.RANGE_TYPES:
        literal = sql_literal(range_type)
        assert f"{literal} AS range_type" in RANGES or f"metric, {literal}," in RANGES


def test_no_literal_of_the_vocabulary_is_left_in_the_sql() -> None:
    """A name written out in the SQL instead of its placeholder would not follow a change."""
    for vocabulary in (engagement, problems):
        package = Path(vocabulary.__file__).parent
        for sql in package.glob("*.sql"):
            code = re.sub(r"--[^\n]*", "", sql.read_text())  # comments may name them
            for value in constants(vocabulary).values():
                if isinstance(value, str):
                    assert sql_literal(value) not in code, (sql.name, value)


def test_render() -> None:
    assert render("x = {{A}} AND y IN {{ B }}", {"A": "it's", "B": ("a", 1, 0.15)}) == (
        "x = 'it''s' AND y IN ['a', 1, 0.15]"
    )
    with pytest.raises(ValueError, match="MISSING"):
        render("{{MISSING}}", {})
    with pytest.raises(ValueError):
        sql_literal(float("inf"))


def test_the_simulator_logs_the_vocabulary_success_values(tmp_path: Path) -> None:
    import gzip
    import json
    from datetime import date

    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(SimulationConfig(seed=3, courses=1, learners=30, days=3, start=date(2024, 6, 3)), tmp_path)
    successes = set()
    for log in (tmp_path / "logs").rglob("*.gz"):
        with gzip.open(log, "rt", errors="replace") as lines:
            for line in lines:
                if '"problem_check"' not in line:
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # the simulator's deliberate dirt
                if (
                    isinstance(event, dict)
                    and isinstance(event.get("event"), dict)
                    and "success" in event["event"]
                ):
                    successes.add(event["event"]["success"])
    assert successes == {problems.CORRECT, problems.INCORRECT}


@pytest.mark.parametrize("family", ["engagement", "problems"])
def test_the_module_lives_in_its_own_package(django_home, family: str) -> None:  # type: ignore[no-untyped-def]
    """As video: metrics with their SQL, API views, page builders and routes in the family's package."""
    import importlib

    import edinsights.metrics as core_metrics

    package = importlib.import_module(f"edinsights.families.{family}")
    module = package.MODULE
    directory = Path(package.__file__).parent
    sql_files = list(directory.glob("*.sql"))
    assert sql_files
    for sql in sql_files:
        assert not (Path(core_metrics.__file__).parent / sql.name).exists(), sql.name
    views = [
        *(p.callback.view_class for p in registry.url_patterns(module.api_urls)),
        *(p.callback for p in registry.url_patterns(module.dashboard_urls)),
    ]
    assert views
    for view in views:
        assert view.__module__.startswith(f"edinsights.families.{family}."), view
