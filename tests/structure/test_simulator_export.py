"""The simulator's courses as OLX exports: written by `edinsights generate`, importable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from edinsights.structure.importer import import_olx
from edinsights.structure.storage import StructureStore


def test_generate_writes_an_olx_export_per_course(tmp_path: Path) -> None:
    from edinsights.demo.dataset import generate
    from edinsights.demo.simulate import SimulationConfig

    config = SimulationConfig(seed=3, courses=3, learners=20, days=5, start=date(2024, 3, 1))
    summary = generate(config, tmp_path / "sim")
    listing = json.loads((tmp_path / "sim" / "olx" / "course_ids.json").read_text())
    assert sorted(listing) == ["course-1.tar.gz", "course-2.tar.gz", "course-3.tar.gz"]
    store = StructureStore(tmp_path / "store")
    for name, course_id in listing.items():
        import_olx(store, [tmp_path / "sim" / "olx" / name], course_id)
    assert sorted(store.course_ids()) == sorted(summary.courses)
