"""Video, problem and engagement metrics on simulator data, against the simulator's ground truth."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest

from edinsights.config import Settings
from edinsights.engine.duckdb_engine import connect, run
from edinsights.events.store import EventStore
from edinsights.metrics.registry import metrics
from tests.conftest import run_ingest
from tests.metrics.test_engagement import assert_tiles

LAST_DAY = date(2024, 6, 23)


@pytest.fixture(scope="module")
def simulated(
    tmp_path_factory: pytest.TempPathFactory, django_home: object
) -> tuple[dict, dict[str, list[dict]]]:
    """The ground truth, and every learning metric's rows as dicts (their columns are their models':
    Django is set up)."""
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    root = tmp_path_factory.mktemp("learning")
    generate(
        SimulationConfig(seed=17, courses=3, learners=400, days=21, start=date(2024, 6, 3)), root / "sim"
    )
    truth = json.loads((root / "sim" / "ground_truth.json").read_text())
    store = EventStore(Settings.load(root / "home").store_path)
    run_ingest(store, root / "sim" / "logs", workers=2)
    connection = connect(store)
    names = (
        "video",
        "video_timeline",
        "answer_distribution",
        "problem_summary",
        "tags_distribution",
        "module_engagement",
        "module_engagement_metric_ranges",
    )
    results = {}
    for name in names:
        metric = metrics()[name]
        results[name] = [
            dict(zip(metric.result_columns(), row, strict=True)) for row in run(connection, metric, LAST_DAY)
        ]
    return truth, results


def test_problem_totals_match(simulated) -> None:  # type: ignore[no-untyped-def]
    truth, results = simulated
    computed = {(row["course_id"], row["module_id"]): row for row in results["problem_summary"]}
    assert len(computed) == len(truth["problems"]) > 20
    for expected in truth["problems"]:
        row = computed[(expected["course_id"], expected["problem_id"])]
        assert (row["total_submissions"], row["correct_submissions"], row["users"], row["users_correct"]) == (
            expected["submissions"],
            expected["correct"],
            expected["users"],
            expected["users_correct"],
        )


def test_answer_distribution_counts_each_learner_once_first_and_last(simulated) -> None:  # type: ignore[no-untyped-def]
    truth, results = simulated
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in results["answer_distribution"]:
        entry = sums[(row["course_id"], row["module_id"])]
        entry["first"] += row["first_response_count"]
        entry["last"] += row["last_response_count"]
        entry["count"] += row["count"]
        # The simulator stops at a correct answer: a correct last answer is a learner who got it.
        entry["last_correct"] += row["last_response_count"] if row["correct"] else 0
        # Randomised problems differ only by seed here: their variants are merged.
        assert row["variant"] is None
        assert row["question_text"] and row["problem_display_name"]
    for expected in truth["problems"]:
        entry = sums[(expected["course_id"], expected["problem_id"])]
        assert entry == {
            "first": expected["users"],
            "last": expected["users"],
            "count": expected["submissions"],
            "last_correct": expected["users_correct"],
        }


def test_tags_distribution_covers_the_tagged_problems(simulated) -> None:  # type: ignore[no-untyped-def]
    truth, results = simulated
    problems = {(p["course_id"], p["problem_id"]): p for p in truth["problems"]}
    tagged = {(row["course_id"], row["module_id"]) for row in results["tags_distribution"]}
    assert 0 < len(tagged) < len(problems)
    for row in results["tags_distribution"]:
        expected = problems[(row["course_id"], row["module_id"])]
        assert (row["total_submissions"], row["correct_submissions"]) == (
            expected["submissions"],
            expected["correct"],
        )
        assert row["tag_name"] in {"difficulty_tag", "learning_outcome_tag"}


def test_videos_match_the_viewings(simulated) -> None:  # type: ignore[no-untyped-def]
    truth, results = simulated
    videos = {row["pipeline_video_id"]: row for row in results["video"]}
    timeline: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in results["video_timeline"]:
        timeline[row["pipeline_video_id"]][row["segment"]] = row
    assert len(videos) == len(truth["videos"]) > 10
    for expected in truth["videos"]:
        key = f"{expected['course_id']}|{expected['video_block']}"
        video = videos[key]
        assert video["users_at_start"] == expected["users_at_start"]
        assert video["users_at_start"] == timeline[key].get(0, {}).get("num_users", 0)
        assert abs(video["total_viewed_seconds"] - expected["viewed_seconds"]) <= 1
        assert max(row["num_users"] for row in timeline[key].values()) <= expected["users"]
        assert video["users_at_end"] <= video["users_at_start"] or video["users_at_start"] == 0


def test_engagement_counts_match_the_daily_truth(simulated) -> None:  # type: ignore[no-untyped-def]
    truth, results = simulated
    attempts: dict[tuple[str, str], int] = defaultdict(int)
    plays: dict[tuple[str, str], int] = defaultdict(int)
    for row in results["module_engagement"]:
        key = (row["course_id"], row["date"].isoformat())
        if (row["entity_type"], row["event"]) == ("problem", "attempted"):
            attempts[key] += row["count"]
        elif (row["entity_type"], row["event"]) == ("video", "viewed"):
            plays[key] += row["count"]
    for day in truth["daily"]:
        key = (day["course_id"], day["date"])
        assert attempts.get(key, 0) == day["problem_attempts"], key
        assert plays.get(key, 0) == day["video_views"], key


def test_engagement_ranges_are_ordered_and_complete(simulated) -> None:  # type: ignore[no-untyped-def]
    _, results = simulated
    ranges: dict[tuple[str, str], list[tuple[str, float | None, float | None]]] = defaultdict(list)
    for row in results["module_engagement_metric_ranges"]:  # ordered by course, metric, range
        assert (row["start_date"], row["end_date"]) == (date(2024, 6, 17), date(2024, 6, 24))
        bounds = (row["range_type"], row["low_value"], row["high_value"])
        ranges[(row["course_id"], row["metric"])].append(bounds)
    assert {metric for _, metric in ranges} == {
        "problem_attempts",
        "problems_attempted",
        "problems_completed",
        "problem_attempts_per_completed",
        "videos_viewed",
        "discussion_contributions",
    }
    assert len({course for course, _ in ranges}) == 3
    for split in ranges.values():
        assert_tiles(split)
