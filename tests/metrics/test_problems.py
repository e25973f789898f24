"""Answer distributions, problem totals and tag distributions: rules and edge cases, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    seed: int | None = None,
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
    if seed is not None:
        payload["state"] = {"seed": seed, "done": False}
    return event_line(
        time=f"2024-01-04T10:{minute:02d}:00Z",
        event_type="problem_check",
        event_source=source,
        context=context,
        event=payload,
    )


def new(
    minute: int,
    user: int,
    answer: object,
    text: object,
    correct: bool,
    variant: object = "",
    question: str = "Which is prime?",
    **extra: object,
) -> str:
    """A new-format submission: `answer` as the browser sent it, `text` as the learner read it."""
    submission = {
        PART: {
            "question": question,
            "answer": text,
            "response_type": "multiplechoiceresponse",
            "input_type": "choicegroup",
            "correct": correct,
            "variant": variant,
        }
    }
    return check(
        minute,
        user,
        {PART: answer},
        submission=submission,
        correct_map={PART: {"correctness": "correct" if correct else "incorrect"}},
        success="correct" if correct else "incorrect",
        **extra,  # type: ignore[arg-type]
    )


def choice(minute: int, user: int, index: int, correct: bool, variant: object = "", **extra: object) -> str:
    """A new-format multiple-choice submission of choice `index` (text `Option <index>`)."""
    return new(minute, user, f"choice_{index}", f"Option {index}", correct, variant, **extra)


def old(minute: int, user: int, answer: object, correct: bool, seed: int = 1) -> str:
    """An old-format submission: only `answers` and `correct_map`, and the problem's seed."""
    return check(
        minute,
        user,
        {PART: answer},
        correct_map={PART: {"correctness": "correct" if correct else "incorrect"}},
        seed=seed,
        success="correct" if correct else "incorrect",
    )


# Rule → submissions of one problem → its rows:
# (value_id, answer_value, correct, variant) → (count, first_response_count, last_response_count).
ANSWER_RULES: list[tuple[str, list[str], dict[tuple, tuple[int, int, int]]]] = [
    (
        "each learner's first and last submission by time; browser checks are no submissions",
        [
            choice(5, 1, 0, True),  # logged first, but learner 1's last submission
            choice(1, 1, 1, False),
            choice(3, 1, 2, False),
            choice(2, 2, 0, True),
            choice(4, 3, 2, False),
            choice(4, 4, 2, False, source="browser"),
        ],
        {
            ("choice_0", "Option 0", True, None): (2, 1, 2),
            ("choice_1", "Option 1", False, None): (1, 1, 0),
            ("choice_2", "Option 2", False, None): (2, 1, 1),
        },
    ),
    (
        "an old and a new submission of the same choice meet in one row, with the new one's text",
        [
            old(1, 1, "choice_1", False),
            choice(2, 1, 0, True),
            old(3, 2, "choice_0", True),
            choice(4, 3, 1, False),
        ],
        {
            ("choice_0", "Option 0", True, None): (2, 1, 2),
            ("choice_1", "Option 1", False, None): (2, 2, 1),
        },
    ),
    (
        "typed answers have no choice id, in either format",
        [old(1, 1, "3", False), new(2, 1, "3", "3", False), new(3, 2, "5", "5", True)],
        {(None, "3", False, None): (2, 1, 1), (None, "5", True, None): (1, 1, 1)},
    ),
    (
        "old submissions only: the answer as logged, since a choice id cannot be told from text",
        [old(1, 1, "choice_3", False), old(2, 1, "choice_1", True), old(3, 2, "choice_1", True)],
        {(None, "choice_3", False, None): (1, 1, 0), (None, "choice_1", True, None): (2, 1, 2)},
    ),
    (
        "a choice only old submissions gave keeps its id; its text was never logged",
        [old(1, 1, "choice_2", False), choice(2, 1, 0, True)],
        {("choice_2", None, False, None): (1, 1, 0), ("choice_0", "Option 0", True, None): (1, 0, 1)},
    ),
    (
        "old submissions' seed is their variant",
        [
            old(1, 1, "choice_0", True, seed=4),
            choice(2, 2, 0, False, variant=7),
            old(3, 3, "choice_0", False, seed=7),
        ],
        {("choice_0", None, True, "4"): (1, 1, 1), ("choice_0", "Option 0", False, "7"): (2, 2, 2)},
    ),
    (
        "an empty variant is seed 1, and apart from variant 123",
        [old(1, 1, "choice_0", False), choice(2, 2, 0, False), choice(3, 3, 0, True, variant=123)],
        {("choice_0", "Option 0", False, "1"): (2, 2, 2), ("choice_0", "Option 0", True, "123"): (1, 1, 1)},
    ),
    (
        "variants graded differently stay apart",
        [
            choice(1, 1, 0, True, variant=1),
            choice(2, 2, 0, False, variant=2),
            choice(3, 3, 1, False, variant=2),
        ],
        {
            ("choice_0", "Option 0", True, "1"): (1, 1, 1),
            ("choice_0", "Option 0", False, "2"): (1, 1, 1),
            ("choice_1", "Option 1", False, "2"): (1, 1, 1),
        },
    ),
    (
        "variants that differ only in the seed are merged",
        [
            choice(1, 1, 0, True, variant=1),
            choice(2, 2, 0, True, variant=7),
            choice(3, 3, 1, False, variant=7),
        ],
        {("choice_0", "Option 0", True, None): (2, 2, 2), ("choice_1", "Option 1", False, None): (1, 1, 1)},
    ),
    (
        "an answer graded both ways is one row, graded as its latest submission was",
        [new(1, 1, "5", "5", False), new(2, 2, "5", "5", True)],
        {(None, "5", True, None): (2, 2, 2)},
    ),
    (
        "a choice's text is its latest submission's",
        [new(1, 1, "choice_1", "Option 1", False), new(2, 2, "choice_1", "Option <b>one</b>", False)],
        {("choice_1", "Option one", False, None): (2, 2, 2)},
    ),
    (
        "a part changed from typed to choice answers keeps a row of each kind",
        [new(1, 1, "Blue", "Blue", True), new(2, 2, "choice_1", "Blue", True)],
        {(None, "Blue", True, None): (1, 1, 1), ("choice_1", "Blue", True, None): (1, 1, 1)},
    ),
    (
        "a typed answer is kept as typed, markup and all; a choice label authored as HTML is text",
        [
            new(1, 1, "<script>alert(1)</script>", "<script>alert(1)</script>", False),
            new(2, 2, "x &lt; <b>y</b>", "x &lt; <b>y</b>", False),
            new(3, 3, "choice_2", "<text>x &lt; <b>y</b></text>", True),
        ],
        {
            (None, "<script>alert(1)</script>", False, None): (1, 1, 1),
            (None, "x &lt; <b>y</b>", False, None): (1, 1, 1),
            ("choice_2", "x < y", True, None): (1, 1, 1),
        },
    ),
    (
        "white space around a typed answer does not make another answer",
        [new(1, 1, "\t\n\nfirst   ", "\t\n\nfirst   ", False), new(2, 2, "first", "first", False)],
        {(None, "first", False, None): (2, 2, 2)},
    ),
    (
        "hidden inputs and choices merely offered are no answers",
        [
            check(
                1,
                1,
                {PART: "3", f"{PART}_dynamath": "<math/>", f"{PART}_choice_1": "choice_1"},
                correct_map={
                    PART: {"correctness": "incorrect"},
                    f"{PART}_dynamath": {"correctness": "incorrect"},
                },
                seed=1,
            ),
            check(
                2,
                2,
                {PART: "3", f"{PART}_comment": "why"},
                submission={
                    PART: {"answer": "3", "correct": False, "variant": ""},
                    f"{PART}_comment": {"answer": "why", "correct": False, "variant": ""},
                },
            ),
        ],
        {(None, "3", False, None): (2, 2, 2)},
    ),
]


@pytest.fixture(scope="module")
def answer_rules(
    result_db: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[tuple, tuple[int, int, int]]]:
    """Every rule's submissions, each rule on a problem of its own, computed in one run."""
    lines = [
        # The helpers write PROBLEM; each rule's copy names a problem of its own.
        line.replace(PROBLEM, f"{PROBLEM}{index}")
        for index, (_, rule_lines, _) in enumerate(ANSWER_RULES)
        for line in rule_lines
    ]
    found: dict[str, dict[tuple, tuple[int, int, int]]] = {rule: {} for rule, _, _ in ANSWER_RULES}
    for row in published(tmp_path_factory.mktemp("answers"), lines, "answer_distribution", result_db):
        rule = ANSWER_RULES[int(row["module_id"].removeprefix(PROBLEM))][0]
        key = (row["value_id"], row["answer_value"], row["correct"], row["variant"])
        if row["part_id"] != PART:  # a part no rule expects: it shows in its rule's difference
            key = (row["part_id"], *key)
        found[rule][key] = (row["count"], row["first_response_count"], row["last_response_count"])
    return found


@pytest.mark.parametrize(
    ("rule", "expected"), [pytest.param(rule, expected, id=rule) for rule, _, expected in ANSWER_RULES]
)
def test_answer_rows(answer_rules: dict, rule: str, expected: dict) -> None:
    assert answer_rules[rule] == expected


def test_checkbox_answers_are_lists_of_choices_and_texts(tmp_path: Path, result_db: str) -> None:
    submission = {PART: {"question": "Which are prime?", "answer": ["2", "<b>5</b>"], "correct": True}}
    lines = [check(1, 1, {PART: ["choice_0", "choice_2"]}, submission=submission, success="correct")]
    [row] = published(tmp_path, lines, "answer_distribution", result_db)
    assert (row["value_id"], row["answer_value"], row["correct"]) == ("[choice_0|choice_2]", "[2|5]", True)
    assert (row["question_text"], row["problem_display_name"]) == ("Which are prime?", "Prime numbers")


def test_old_submissions_take_the_question_of_their_variant(tmp_path: Path, result_db: str) -> None:
    lines = [
        old(1, 1, "choice_2", False, seed=3),
        choice(2, 2, 0, True, variant=3, question="Is 2 prime?"),
        choice(3, 3, 0, False, variant=5, question="Is 9 prime?"),
    ]
    rows = published(tmp_path, lines, "answer_distribution", result_db)
    assert sorted((row["value_id"], row["variant"], row["question_text"]) for row in rows) == [
        ("choice_0", "3", "Is 2 prime?"),
        ("choice_0", "5", "Is 9 prime?"),
        ("choice_2", "3", "Is 2 prime?"),
    ]


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
