"""What a learner typed reaches staff as typed: escaped on the page, literal in the CSV.

From the log line through ingest and the metric to the page: the rows are computed into a
scratch database and copied into the dashboard's, under a course of their own.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import event_line, published
from tests.dashboard.conftest import Dashboard

COURSE = "course-v1:Sec+Typed+2024"
PROBLEM = "block-v1:Sec+Typed+2024+type@problem+block@f00d"
TYPED = "<script>alert(1)</script>"


def submission(minute: int, user: int, part: str, answer: str, text: str) -> str:
    return event_line(
        time=f"2024-01-04T10:{minute:02d}:00Z",
        event_type="problem_check",
        event_source="server",
        context={
            "course_id": COURSE,
            "user_id": user,
            "module": {"usage_key": PROBLEM, "display_name": "Typed"},
        },
        event={
            "problem_id": PROBLEM,
            "answers": {part: answer},
            "success": "incorrect",
            "submission": {part: {"answer": text, "correct": False, "question": "<p>Say <b>it</b></p>"}},
        },
    )


LINES = [
    submission(1, 1, "f00d_2_1", TYPED, TYPED),  # a text input: what was typed, twice
    submission(2, 2, "f00d_3_1", "choice_1", "<text>Yes <b>indeed</b></text>"),  # a choice label
]


@pytest.mark.parametrize("result_db", ["sqlite"], indirect=True)
def test_typed_answers_are_shown_escaped_and_downloaded_as_typed(  # type: ignore[no-untyped-def]
    dashboard: Dashboard, tmp_path: Path, result_db: str
) -> None:
    from edinsights.families.problems.models import AnswerDistribution, ProblemSummary

    answers = published(tmp_path / "a", LINES, "answer_distribution", result_db)
    summary = published(tmp_path / "s", LINES, "problem_summary", result_db)
    assert {(row["value_id"], row["answer_value"]) for row in answers} == {
        (None, TYPED),
        ("choice_1", "Yes indeed"),
    }
    now = datetime.now(UTC)
    AnswerDistribution.objects.bulk_create(AnswerDistribution(**row, created=now) for row in answers)
    ProblemSummary.objects.bulk_create(ProblemSummary(**row, created=now) for row in summary)
    try:
        page = f"/courses/{COURSE}/performance/problems/{PROBLEM}/"
        response = dashboard.client("staff").get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as typed, escaped
        assert "alert(1)</script>" not in html  # never markup that a browser would run
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S)
        assert not any("alert(1)" in script and "\\u003C" not in script for script in scripts)
        # The chart's data (a JSON script element) carries it escaped too, and as typed.
        specs = [json.loads(script) for script in scripts if script.strip().startswith("{")]
        assert any(TYPED in json.dumps(spec, ensure_ascii=False) for spec in specs)
        assert "Yes indeed" in html and "Say it" in html  # the course team's HTML reduced to text

        rows = list(
            csv.DictReader(io.StringIO(dashboard.client("staff").get(page + "?format=csv").content.decode()))
        )
        assert {row["answer_value"] for row in rows} == {TYPED, "Yes indeed"}
    finally:
        AnswerDistribution.objects.filter(course_id=COURSE).delete()
        ProblemSummary.objects.filter(course_id=COURSE).delete()
