"""Fake modules and entry points for the module contract's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edinsights import modules as registry

# Modules installed beside edinsights' own (./dev setup installs modules/*, the forum module):
# the tests below pin the built-ins and expect these after them, by name, and nothing else.
THIRD_PARTY = tuple(module.name for module in registry.modules() if module.name not in registry.BUILTIN_ORDER)


def third_party_modules() -> list[registry.AnalyticsModule]:
    return [module for module in registry.modules() if module.name in THIRD_PARTY]


@pytest.fixture
def fresh_discovery() -> Iterator[None]:
    """Discovery forgotten before and after the test (the next caller finds the real entry points)."""
    registry.clear_cache()
    yield
    registry.clear_cache()


def install_distribution(root: Path, name: str, entry_points: dict[str, str], code: dict[str, str]) -> None:
    """A distribution as pip leaves it in site-packages: `NAME.dist-info` with its entry points
    in the `edinsights.modules` group, and its Python modules beside it (`code`: file → text)."""
    info = root / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{registry.ENTRY_POINT_GROUP}]\n{lines}")
    for file, text in code.items():
        (root / file).write_text(text)
