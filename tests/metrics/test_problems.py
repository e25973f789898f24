"""Answer distributions, problem totals and tag distributions: rules and edge cases, on every backend."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import event_line, published

COURSE = "course-v1:edX+DemoX+2024"
PROBLEM = "block-v1:edX+DemoX+2024+type@problem+block@3c1a"
PART = "3c1a_2_1"


def check(
    minute: int,
    user: int,
    answers: dict,
    *,
    submission: dict | None = None,
    correct_map: dict | None = None,
    success: str = "incorrect",
    tags: dict | None = None,
    name: str = "Prime numbers",
    source: str = "server",
) -> str:
    """A problem_check at 10:<minute> on 2024-01-04 (new format when `submission` is given)."""
    context: dict = {
        "course_id": COURSE,
        "user_id": user,
        "path": "/x",
        "module": {"usage_key": PROBLEM, "display_name": name},
    }
    if tags is not None:
        context["asides"] = {"tagging_aside": {"saved_tags": tags}}
    payload: dict = {"problem_id": PROBLEM, "answers": answers, "success": success}
    if submission is not None:
        payload["submission"] = submission
    if correct_map is not None:
        payload["correct_map"] = correct_map
    return event_line(
        time=f"2024-01-04T10:{minute:02d}:00Z",
        event_type="problem_check",
        event_source=source,
        context=context,
        event=payload,
    )


def choice(minute: int, user: int, index: int, correct: bool, variant: object = "", **extra: object) -> str:
    """A new-format multiple-choice submission of choice `index` (text `Option <index>`)."""
    submission = {
        PART: {
            "question": "Which is prime?",
            "answer": f"Option {index}",
            "response_type": "multiplechoiceresponse",
            "input_type": "choicegroup",
            "correct": correct,
            "variant": variant,
        }
    }
    return check(
        minute,
        user,
        {PART: f"choice_{index}"},
        submission=submission,
        success="correct" if correct else "incorrect",
        **extra,  # type: ignore[arg-type]
    )


def answers(tmp_path: Path, lines: list[str], using: str) -> dict[tuple, tuple[int, int, int]]:
    """(value_id, answer_value, correct, variant) → (count, first_response_count, last_response_count)."""
    rows = published(tmp_path, lines, "answer_distribution", using)
    assert {(row["course_id"], row["module_id"], row["part_id"]) for row in rows} <= {(COURSE, PROBLEM, PART)}
    return {
        (row["value_id"], row["answer_value"], row["correct"], row["variant"]): (
            row["count"],
            row["first_response_count"],
            row["last_response_count"],
        )
        for row in rows
    }


def test_first_and_last_answers_of_each_learner(tmp_path: Path, result_db: str) -> None:
    lines = [
        choice(5, 1, 0, True),  # logged first, but learner 1's last submission
        choice(1, 1, 1, False),
        choice(3, 1, 2, False),
        choice(2, 2, 0, True),
        choice(4, 3, 2, False),
        choice(4, 4, 2, False, source="browser"),  # browser checks are not submissions
    ]
    assert answers(tmp_path, lines, result_db) == {
        ("choice_0", "Option 0", True, None): (2, 1, 2),
        ("choice_1", "Option 1", False, None): (1, 1, 0),
        ("choice_2", "Option 2", False, None): (2, 1, 1),
    }


def test_checkbox_answers_are_lists_of_choices_and_texts(tmp_path: Path, result_db: str) -> None:
    submission = {PART: {"question": "Which are prime?", "answer": ["2", "<b>5</b>"], "correct": True}}
    lines = [check(1, 1, {PART: ["choice_0", "choice_2"]}, submission=submission, success="correct")]
    [row] = published(tmp_path, lines, "answer_distribution", result_db)
    assert (row["value_id"], row["answer_value"], row["correct"]) == ("[choice_0|choice_2]", "[2|5]", True)
    assert (row["question_text"], row["problem_display_name"]) == ("Which are prime?", "Prime numbers")


def test_old_format_events_use_answers_and_correct_map(tmp_path: Path, result_db: str) -> None:
    lines = [
        check(1, 1, {PART: "choice_3"}, correct_map={PART: {"correctness": "incorrect"}}),
        check(2, 1, {PART: "choice_1"}, correct_map={PART: {"correctness": "correct"}}, success="correct"),
        check(3, 2, {PART: "choice_1"}, correct_map={PART: {"correctness": "correct"}}, success="correct"),
    ]
    assert answers(tmp_path, lines, result_db) == {
        ("choice_3", "choice_3", False, None): (1, 1, 0),
        ("choice_1", "choice_1", True, None): (2, 1, 2),
    }


def test_real_variants_stay_apart(tmp_path: Path, result_db: str) -> None:
    # The same answer is right in variant 1 and wrong in variant 2: a truly randomised problem.
    lines = [
        choice(1, 1, 0, True, variant=1),
        choice(2, 2, 0, False, variant=2),
        choice(3, 3, 1, False, variant=2),
    ]
    assert answers(tmp_path, lines, result_db) == {
        ("choice_0", "Option 0", True, "1"): (1, 1, 1),
        ("choice_0", "Option 0", False, "2"): (1, 1, 1),
        ("choice_1", "Option 1", False, "2"): (1, 1, 1),
    }


def test_spurious_variants_are_merged(tmp_path: Path, result_db: str) -> None:
    # Only the seed differs: same question, and each answer graded alike in every variant.
    lines = [
        choice(1, 1, 0, True, variant=1),
        choice(2, 2, 0, True, variant=7),
        choice(3, 3, 1, False, variant=7),
    ]
    assert answers(tmp_path, lines, result_db) == {
        ("choice_0", "Option 0", True, None): (2, 2, 2),
        ("choice_1", "Option 1", False, None): (1, 1, 1),
    }


def test_problem_summary_and_the_latest_display_name(tmp_path: Path, result_db: str) -> None:
    lines = [
        choice(1, 1, 1, False, name="Old name"),
        choice(2, 1, 0, True, name="New name"),
        choice(3, 2, 1, False, name="New name"),
    ]
    [row] = published(tmp_path, lines, "problem_summary", result_db)
    assert row == {
        "course_id": COURSE,
        "module_id": PROBLEM,
        "problem_display_name": "New name",
        "total_submissions": 3,
        "correct_submissions": 1,
        "users": 2,
        "users_correct": 1,
    }


def test_tags_come_from_the_latest_tagged_submission(tmp_path: Path, result_db: str) -> None:
    lines = [
        choice(1, 1, 1, False, tags={"difficulty_tag": "easy"}),
        choice(2, 1, 0, True, tags={"difficulty_tag": "hard", "learning_outcome_tag": ["LO1", "LO2"]}),
        choice(3, 2, 0, True),  # no tags on this one: the problem keeps its tags
    ]
    rows = published(tmp_path, lines, "tags_distribution", result_db)
    assert [
        (row["tag_name"], row["tag_value"], row["total_submissions"], row["correct_submissions"])
        for row in rows
    ] == [
        ("difficulty_tag", "hard", 3, 2),
        ("learning_outcome_tag", "LO1", 3, 2),
        ("learning_outcome_tag", "LO2", 3, 2),
    ]


def test_problems_without_tags_have_no_tag_rows(tmp_path: Path, result_db: str) -> None:
    assert published(tmp_path, [choice(1, 1, 0, True)], "tags_distribution", result_db) == []
