"""Each family's vocabulary is written once: its SQL, API, pages and the simulator agree on it."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path

from edinsights.demo import behaviour, truth
from edinsights.families.activity.metrics import COURSE_ACTIVITY
from edinsights.families.activity.vocabulary import ACTIVITY_KINDS, ACTIVITY_LABELS, ACTIVITY_SERIES
from edinsights.families.enrollment.vocabulary import (
    ENROLLMENT_MODES,
    FOLDED_MODES,
    MODE_LABELS,
    folded_mode,
    unfolded_modes,
)


def test_every_shown_mode_has_a_label_and_folding_lands_on_a_known_mode() -> None:
    assert set(MODE_LABELS) == set(ENROLLMENT_MODES)
    assert all(
        shown in ENROLLMENT_MODES and stored not in ENROLLMENT_MODES for stored, shown in FOLDED_MODES.items()
    )
    assert folded_mode("no-id-professional") == "professional" and folded_mode("audit") == "audit"
    assert unfolded_modes("professional") == ["professional", "no-id-professional"]
    assert unfolded_modes("verified") == ["verified"]


def test_the_simulator_enrolls_only_in_modes_the_vocabulary_knows() -> None:
    drawn = {mode for modes in (behaviour.MODES_NEW, behaviour.MODES_OLD) for mode, _weight in modes}
    assert drawn <= set(ENROLLMENT_MODES)
    assert len(drawn) == len(ENROLLMENT_MODES)  # every mode is exercised somewhere


def test_the_simulated_logs_name_only_known_modes(tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    generate(
        SimulationConfig(seed=5, courses=3, learners=120, days=8, start=date(2024, 3, 1), dirt=0.0), tmp_path
    )
    modes = set()
    for path in sorted((tmp_path / "logs").glob("tracking.log-*.gz")):
        for line in gzip.decompress(path.read_bytes()).splitlines():
            event = json.loads(line)
            if event["event_type"].startswith("edx.course.enrollment."):
                modes.add(event["event"]["mode"])
    assert modes and modes <= set(ENROLLMENT_MODES)


def test_the_activity_sql_yields_exactly_the_vocabulary_labels() -> None:
    sql = COURSE_ACTIVITY.sql
    assert "{{" not in sql
    # Every label literal the SQL selects as a row's label, in the order of its UNION.
    selected = re.findall(r"user_id, '([A-Z_]+)'", sql)
    assert selected == [kind.label for kind in ACTIVITY_KINDS]


def test_api_pages_and_simulator_read_the_same_activity_kinds() -> None:
    assert list(ACTIVITY_LABELS.values()) == [label for label, _key, _title in ACTIVITY_SERIES]
    assert set(ACTIVITY_LABELS) == {"any", "attempted_problem", "played_video", "posted_forum"}
    assert set(truth.ACTIVITY_TYPES) == {key for _label, key, _title in ACTIVITY_SERIES}
