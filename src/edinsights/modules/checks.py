"""Django system checks over the installed modules: what two modules claim at once, what does not load.

Registered by the web app (`edinsights.web.apps.WebConfig.ready`), so `edinsights` commands that
set Django up, `migrate` and the test client all see them. Ids:

- edinsights.E010: two modules have the same name
- edinsights.E011: a result table is claimed by two modules (a model's or a metric's table)
- edinsights.E012 / E013: an API route / API URL name is claimed by two modules
- edinsights.E014 / E015: a dashboard route / dashboard URL name is claimed by two modules
- edinsights.E016: a navigation key is claimed by two modules
- edinsights.E017: a metric name is claimed by two modules
- edinsights.E018: a module names a model, URL patterns or a hook (course_home, course_title)
  that do not resolve
- edinsights.E019: edinsights' own modules are missing (the installed metadata is stale)
- edinsights.E020: a metric's table is none of its module's models, or its declared columns are
  not its model's (the model is the one schema of a result table)
- edinsights.W010: an entry point failed to load a module (skipped; the others keep working)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core import checks

if TYPE_CHECKING:
    from django.db.models import Model

from edinsights.modules import (
    BUILTIN_ORDER,
    AnalyticsModule,
    LoadError,
    hook,
    load_errors,
    modules,
    url_patterns,
)

HOOKS = ("course_home", "course_title")
"""The AnalyticsModule fields that name a function as `module:function`."""

Claim = tuple[str, int, str]
"""(claimed value, the module's position in modules(), the module's name)."""


def _clashes(claims: Iterable[Claim], check_id: str, what: str) -> list[checks.CheckMessage]:
    """An error for each value claimed by a second module, naming both."""
    owners: dict[str, tuple[int, str]] = {}
    found: list[checks.CheckMessage] = []
    for value, position, name in claims:
        first = owners.setdefault(value, (position, name))
        if first[0] != position:
            found.append(
                checks.Error(f"{what} {value!r} is claimed by modules {first[1]!r} and {name!r}", id=check_id)
            )
    return found


def _broken(module: AnalyticsModule, what: str) -> checks.CheckMessage:
    return checks.Error(f"module {module.name!r}: {what}", id="edinsights.E018")


def _routes(
    found: Sequence[AnalyticsModule], field: str, broken: list[checks.CheckMessage]
) -> tuple[list[Claim], list[Claim]]:
    """Each module's routes and URL names in its `field` (api_urls or dashboard_urls)."""
    routes: list[Claim] = []
    names: list[Claim] = []
    for position, module in enumerate(found):
        spec = getattr(module, field)
        try:
            patterns = url_patterns(spec)
        except Exception as error:  # a third-party module's URL conf: report it, check the others
            broken.append(_broken(module, f"{field} {spec!r} do not load: {type(error).__name__}: {error}"))
            continue
        for pattern in patterns:
            routes.append((str(pattern.pattern), position, module.name))
            name: str | None = getattr(pattern, "name", None)  # URL patterns have one, includes not
            if name:
                names.append((name, position, module.name))
    return routes, names


def _hooks(found: Sequence[AnalyticsModule]) -> list[checks.CheckMessage]:
    """Each hook a module names must load and be callable."""
    broken: list[checks.CheckMessage] = []
    for module in found:
        for name in HOOKS:
            spec = getattr(module, name)
            if not spec:
                continue
            try:
                hook(spec)
            except Exception as error:  # a third-party module's import: report it, check the others
                broken.append(
                    _broken(module, f"{name} {spec!r} does not load: {type(error).__name__}: {error}")
                )
    return broken


def _tables(found: Sequence[AnalyticsModule], broken: list[checks.CheckMessage]) -> list[Claim]:
    """The result tables each module claims: its models' tables and its metrics' tables."""
    from django.apps import apps

    claims: list[Claim] = []
    for position, module in enumerate(found):
        tables = {metric.table for metric in module.metrics}
        for label in module.models:
            try:
                tables.add(apps.get_model(label)._meta.db_table)
            except (LookupError, ValueError) as error:
                broken.append(_broken(module, f"no model {label!r} ({error})"))
        broken += [
            _broken(module, f"course model {label!r} is not one of its models")
            for label in module.course_models
            if label not in module.models
        ]
        claims += [(table, position, module.name) for table in sorted(tables)]
    return claims


def _metric_schemas(found: Sequence[AnalyticsModule]) -> list[checks.CheckMessage]:
    """Each metric writes one of its own module's models, with that model's columns."""
    from django.apps import apps

    from edinsights.metrics.registry import model_columns

    messages: list[checks.CheckMessage] = []
    for module in found:
        models: dict[str, type[Model]] = {}
        for label in module.models:
            try:
                found_model = apps.get_model(label)
            except (LookupError, ValueError):
                continue  # reported by _tables (E018)
            models[found_model._meta.db_table] = found_model
        for metric in module.metrics:
            model = models.get(metric.table)
            if model is None:
                what = f"metric {metric.name!r} writes table {metric.table!r}, which none of its models has"
            elif metric.columns and tuple(metric.columns) != model_columns(model):
                what = (
                    f"metric {metric.name!r} declares columns {list(metric.columns)} but its model "
                    f"{model._meta.label} has {list(model_columns(model))}"
                )
            else:
                continue
            messages.append(checks.Error(f"module {module.name!r}: {what}", id="edinsights.E020"))
    return messages


def module_messages(
    found: Sequence[AnalyticsModule], errors: Sequence[LoadError] = (), *, builtins_expected: bool = False
) -> list[checks.CheckMessage]:
    """The checks' findings for these modules and load errors (tests pass fake ones)."""
    broken: list[checks.CheckMessage] = []
    messages = _clashes(
        ((m.name, position, m.name) for position, m in enumerate(found)), "edinsights.E010", "module name"
    )
    messages += _clashes(_tables(found, broken), "edinsights.E011", "result table")
    api_routes, api_names = _routes(found, "api_urls", broken)
    messages += _clashes(api_routes, "edinsights.E012", "API route")
    messages += _clashes(api_names, "edinsights.E013", "API URL name")
    page_routes, page_names = _routes(found, "dashboard_urls", broken)
    messages += _clashes(page_routes, "edinsights.E014", "dashboard route")
    messages += _clashes(page_names, "edinsights.E015", "dashboard URL name")
    messages += _clashes(
        ((entry.key, position, m.name) for position, m in enumerate(found) for entry in m.navigation),
        "edinsights.E016",
        "navigation key",
    )
    messages += _clashes(
        ((metric.name, position, m.name) for position, m in enumerate(found) for metric in m.metrics),
        "edinsights.E017",
        "metric name",
    )
    messages += broken
    messages += _hooks(found)
    messages += _metric_schemas(found)
    missing = [name for name in BUILTIN_ORDER if name not in {m.name for m in found}]
    if builtins_expected and missing:
        messages.append(
            checks.Error(
                f"edinsights' own modules are not installed: {', '.join(missing)}",
                hint="The installed package metadata predates them: reinstall edinsights (pip install -e .).",
                id="edinsights.E019",
            )
        )
    messages += [
        checks.Warning(
            f"module entry point {error.entry_point!r}"
            + (f" of {error.distribution}" if error.distribution else "")
            + f" failed to load and is skipped: {error.error}",
            id="edinsights.W010",
        )
        for error in errors
    ]
    return messages


@checks.register()
def check_modules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return module_messages(modules(), load_errors(), builtins_expected=True)
