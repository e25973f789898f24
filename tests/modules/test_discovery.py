"""modules(): the built-ins and third-party modules through the `edinsights.modules` entry points."""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path

import pytest

from edinsights import modules as registry
from tests.modules.conftest import THIRD_PARTY, install_distribution

GOOD = """
from edinsights.modules import AnalyticsModule
MODULE = AnalyticsModule(name="{name}")
"""


def test_the_builtins_are_registered_entry_points_found_in_their_fixed_order(fresh_discovery) -> None:  # type: ignore[no-untyped-def]
    declared = {ep.name: ep.value for ep in metadata.entry_points(group="edinsights.modules")}
    assert set(registry.BUILTIN_ORDER) <= set(declared)
    assert declared["video"] == "edinsights.families.video:MODULE"
    found = registry.modules()
    assert [module.name for module in found] == [*registry.BUILTIN_ORDER, *sorted(THIRD_PARTY)]
    assert all(isinstance(module, registry.AnalyticsModule) for module in found)
    assert registry.load_errors() == ()
    # Cached: one discovery per process.
    assert registry.modules() is found


def test_third_party_modules_come_after_the_builtins_by_name(
    fresh_discovery, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_distribution(
        tmp_path,
        "edinsights_extra",
        {"zeta": "extra_zeta:MODULE", "alpha": "extra_alpha:MODULE"},
        {"extra_zeta.py": GOOD.format(name="zeta"), "extra_alpha.py": GOOD.format(name="alpha")},
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    names = [module.name for module in registry.modules()]
    assert names == [*registry.BUILTIN_ORDER, *sorted({*THIRD_PARTY, "alpha", "zeta"})]


def test_a_module_that_fails_to_load_is_named_and_skipped_and_the_others_work(
    fresh_discovery, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    install_distribution(
        tmp_path,
        "edinsights_broken",
        {
            "broken": "broken_module:MODULE",
            "notamodule": "not_a_module:MODULE",
            "fine": "fine_module:MODULE",
        },
        {
            "broken_module.py": "import a_dependency_that_is_not_installed\n",
            "not_a_module.py": "MODULE = {'name': 'dict'}\n",
            "fine_module.py": GOOD.format(name="fine"),
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with caplog.at_level(logging.ERROR, logger="edinsights.modules"), pytest.warns(RuntimeWarning) as warned:
        names = [module.name for module in registry.modules()]
    assert names == [*registry.BUILTIN_ORDER, *sorted({*THIRD_PARTY, "fine"})]
    errors = {error.entry_point: error for error in registry.load_errors()}
    assert set(errors) == {"broken = broken_module:MODULE", "notamodule = not_a_module:MODULE"}
    assert "a_dependency_that_is_not_installed" in errors["broken = broken_module:MODULE"].error
    assert errors["broken = broken_module:MODULE"].distribution == "edinsights_broken"
    assert "not an edinsights.modules.AnalyticsModule" in errors["notamodule = not_a_module:MODULE"].error
    text = " ".join(str(w.message) for w in warned) + caplog.text
    assert "'broken = broken_module:MODULE' (distribution edinsights_broken) failed to load" in text
    assert "notamodule" in text


def test_navigation_is_sorted_by_order_then_module() -> None:
    first = registry.AnalyticsModule(
        "first",
        navigation=(
            registry.NavigationEntry("b", "b", "B", order=20),
            registry.NavigationEntry("a", "a", "A", order=5),
        ),
    )
    second = registry.AnalyticsModule(
        "second", navigation=(registry.NavigationEntry("c", "c", "C", order=20),)
    )
    assert [entry.key for entry in registry.navigation([second, first])] == ["a", "c", "b"]


def test_module_apps_are_added_once_after_the_core_apps() -> None:
    found = [
        registry.AnalyticsModule("a", app="forum_app"),
        registry.AnalyticsModule("b"),
        registry.AnalyticsModule("c", app="edinsights.results"),
    ]
    assert registry.module_apps(["django.contrib.auth", "edinsights.results"], found) == [
        "django.contrib.auth",
        "edinsights.results",
        "forum_app",
    ]


def test_url_patterns_by_module_path_attribute_or_list() -> None:
    assert registry.url_patterns(None) == []
    assert registry.url_patterns(["x"]) == ["x"]
    # `module:attribute` and a module's `urlpatterns` (here a plain module: no Django needed).
    assert registry.url_patterns("edinsights.modules:BUILTIN_ORDER") == list(registry.BUILTIN_ORDER)
    with pytest.raises(AttributeError):
        registry.url_patterns("edinsights.modules")


def test_a_stale_install_without_the_builtins_is_said_at_once(
    fresh_discovery, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Metadata from before the entry points existed: an error, not an edinsights that computes nothing."""
    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [])
    with pytest.warns(
        RuntimeWarning,
        match=r"own modules are not registered \(structure, enrollment, .*install edinsights again",
    ):
        assert registry.modules() == ()
