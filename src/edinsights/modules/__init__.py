"""Analytics modules: the unit that brings a capability (metrics, result tables, API, pages, docs).

A module is an `AnalyticsModule` value that a Python distribution registers under the entry-point
group `edinsights.modules` (`[project.entry-points."edinsights.modules"]` in its pyproject.toml:
`forum = "edinsights_forum:MODULE"`). edinsights' own modules (structure, enrollment, activity,
video, engagement, problems, totals) are registered the same way in edinsights' pyproject.toml. The core
never names a family: the metric registry, INSTALLED_APPS, the API and dashboard URLs, the
navigation, `model_for_table`, `course_exists`, the course home and title (the `course_home`
and `course_title` hooks) and the docs tests all read `modules()`.

`modules()` is read while Django's settings are imported (INSTALLED_APPS), before any app is
loaded: a declaration therefore names models by label ("video.Video") and URL patterns by
dotted path ("edinsights.families.video.urls:api_urls"), which are only resolved once Django is set
up (`result_models()`, `url_patterns()`). docs/modules.md is the contract for module authors.
"""

from __future__ import annotations

import functools
import importlib
import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model
    from django.urls import URLPattern, URLResolver

    from edinsights.metrics.registry import Metric

ENTRY_POINT_GROUP = "edinsights.modules"

BUILTIN_ORDER = ("structure", "enrollment", "activity", "video", "engagement", "problems", "totals")
"""edinsights' own modules, first and in this order (the order of their pages and URL patterns)."""

log = logging.getLogger(__name__)

UrlSpec = str | Sequence[Any] | None
"""URL patterns: a dotted module path (its `urlpatterns`), `module:attribute` (that list), or a
list of `path()`/`re_path()` patterns."""


@dataclass(frozen=True)
class NavigationEntry:
    """One entry of a course's navigation (the dashboard's side menu)."""

    key: str
    """Unique among all modules; a page's `Page.nav` names the entry it highlights."""
    url_name: str
    """The page's URL name inside the `dashboard` namespace; it is reversed with the course id."""
    label: Any
    """Shown text (a str or a lazy translation)."""
    group: Any = ""
    """Heading the entry is shown under ("" for none)."""
    order: int = 100
    """Position in the menu: entries are sorted by (order, module order)."""


@dataclass(frozen=True)
class AnalyticsModule:
    """The declaration of one analytics module: what it adds to edinsights, and where it lives.

    Every field but `name` is optional. Nothing here may import Django models or views at
    declaration time (settings read the declaration before apps load): models are labels, URL
    patterns are dotted paths, both resolved once Django is ready.
    """

    name: str
    """Unique module name (lower case, e.g. "video"); errors and checks name the module by it."""
    app: str | None = None
    """A Django app (dotted module path or AppConfig path) added to INSTALLED_APPS; None for a
    module without models, templates or migrations of its own."""
    metrics: tuple[Metric, ...] = ()
    """The module's metrics (edinsights.metrics.registry.Metric): computed by `edinsights compute`."""
    models: tuple[str, ...] = ()
    """Result models as "app_label.ModelName", one per result table the module's metrics write
    (`model_for_table` finds them)."""
    course_models: tuple[str, ...] = ()
    """Those of `models` whose rows (by `course_id`) make a course known: a dashboard course page
    is a 404 when none of any module's course models has a row for the course."""
    api_urls: UrlSpec = None
    """Data API routes, mounted under /api/v0/ (URL names are global: prefix them `api-`)."""
    dashboard_urls: UrlSpec = None
    """Dashboard routes, mounted at the site root inside the `dashboard` URL namespace (course
    pages start `courses/<path:course_id>/`); tried before the course home page."""
    navigation: tuple[NavigationEntry, ...] = ()
    """The module's entries in the course navigation."""
    docs: tuple[str, ...] = ()
    """Markdown documents describing the module (paths relative to the checkout the module is
    developed in, or absolute); the docs tests check that each exists and documents the
    module's metrics."""
    cli_commands: tuple[Any, ...] = ()
    """click commands added to the `edinsights` command (the cli package adds them)."""
    # The type is edinsights.events.extraction.Extraction (event fields the module needs, written
    # into a side table it owns at ingest); not imported here so that declaring a module stays
    # free of the event store's dependencies.
    extractions: tuple[Any, ...] = ()
    """Event-field extractions the module owns (edinsights.events.extraction.Extraction)."""
    course_home: str | None = None
    """`module:function`, function(course_id) -> edinsights.dashboard.pages.HomePart: the module's
    tiles (and sections) on the course home page, shown in module order."""
    course_title: str | None = None
    """`module:function`, function(course_id) -> str | None: the course's title as the module
    knows it; the dashboard shows the first module's non-empty answer, else the course id."""

    def result_models(self) -> tuple[type[Model], ...]:
        """The result model classes (Django must be set up)."""
        from django.apps import apps

        return tuple(apps.get_model(label) for label in self.models)

    def course_result_models(self) -> tuple[type[Model], ...]:
        from django.apps import apps

        return tuple(apps.get_model(label) for label in self.course_models)


@dataclass(frozen=True)
class LoadError:
    """An entry point that did not give a module (kept for the system checks to report)."""

    entry_point: str
    """`name = value` as the distribution declares it."""
    distribution: str | None
    error: str


@dataclass
class _Discovery:
    modules: tuple[AnalyticsModule, ...] = ()
    errors: tuple[LoadError, ...] = field(default_factory=tuple)


def _sort_key(module: AnalyticsModule) -> tuple[int, str]:
    if module.name in BUILTIN_ORDER:
        return (BUILTIN_ORDER.index(module.name), "")
    return (len(BUILTIN_ORDER), module.name)


def _distribution(entry_point: metadata.EntryPoint) -> str | None:
    dist = getattr(entry_point, "dist", None)
    return dist.name if dist is not None else None


@functools.cache
def _discover() -> _Discovery:
    found: list[AnalyticsModule] = []
    errors: list[LoadError] = []
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        described = f"{entry_point.name} = {entry_point.value}"
        try:
            loaded = entry_point.load()
        except Exception as error:  # any failure of a third-party import: skip it, keep the others
            errors.append(
                LoadError(described, _distribution(entry_point), f"{type(error).__name__}: {error}")
            )
            continue
        if not isinstance(loaded, AnalyticsModule):
            errors.append(
                LoadError(
                    described,
                    _distribution(entry_point),
                    f"gives {type(loaded).__name__}, not an edinsights.modules.AnalyticsModule",
                )
            )
            continue
        found.append(loaded)
    for failure in errors:
        message = (
            f"edinsights module entry point {failure.entry_point!r}"
            + (f" (distribution {failure.distribution})" if failure.distribution else "")
            + f" failed to load and is skipped: {failure.error}"
        )
        log.error(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    missing = [name for name in BUILTIN_ORDER if name not in {module.name for module in found}]
    if missing:
        # Entry points are package metadata: a checkout installed before they existed has none,
        # and would silently compute and serve nothing. Said at once, not only by the system check.
        message = (
            f"edinsights' own modules are not registered ({', '.join(missing)}): the installed package "
            "metadata is stale; install edinsights again (pip install -e .)"
        )
        log.error(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    # Stable whatever order the installed distributions are found in.
    return _Discovery(tuple(sorted(found, key=_sort_key)), tuple(errors))


def modules() -> tuple[AnalyticsModule, ...]:
    """Every installed module: the built-ins first (BUILTIN_ORDER), then the others by name.

    Found once per process through the `edinsights.modules` entry points. A module that fails to
    load is logged and warned about, naming its entry point, and skipped (see `load_errors`).
    """
    return _discover().modules


def load_errors() -> tuple[LoadError, ...]:
    """The entry points that failed to give a module (a system check reports them)."""
    return _discover().errors


def clear_cache() -> None:
    """Forget the discovered modules (tests that install or fake entry points)."""
    _discover.cache_clear()


def module_apps(installed: Sequence[str], found: Sequence[AnalyticsModule] | None = None) -> list[str]:
    """INSTALLED_APPS: `installed`, then each module's app not already in it."""
    apps = list(installed)
    for module in modules() if found is None else found:
        if module.app and module.app not in apps:
            apps.append(module.app)
    return apps


def url_patterns(spec: UrlSpec) -> list[URLPattern | URLResolver]:
    """The patterns a module's `api_urls` or `dashboard_urls` names."""
    if spec is None:
        return []
    if isinstance(spec, str):
        module_path, _, attribute = spec.partition(":")
        loaded = importlib.import_module(module_path)
        return list(getattr(loaded, attribute or "urlpatterns"))
    return list(spec)


def hook(spec: str) -> Callable[..., Any]:
    """The function a module's hook field (`course_home`, `course_title`) names as `module:function`."""
    return _hook(spec)


@functools.cache
def _hook(spec: str) -> Callable[..., Any]:
    module_path, separator, attribute = spec.partition(":")
    if not separator or not attribute:
        raise ValueError(f"{spec!r} is not module:function")
    found = getattr(importlib.import_module(module_path), attribute)
    if not callable(found):
        raise TypeError(f"{spec!r} is not callable")
    return found


def navigation(found: Sequence[AnalyticsModule] | None = None) -> list[NavigationEntry]:
    """Every module's navigation entries, by (order, module order)."""
    found = modules() if found is None else found
    entries = [(entry.order, position, entry) for position, m in enumerate(found) for entry in m.navigation]
    return [entry for _, _, entry in sorted(entries, key=lambda item: (item[0], item[1]))]
