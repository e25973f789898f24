"""edinsights' own analytics modules, one package per family (each `MODULE`, registered in
pyproject.toml under the `edinsights.modules` entry points like any third-party module).

For now a family's declaration points at code where it still lives: metrics in
edinsights.metrics, result models in the edinsights.results app, API views in
edinsights.api.views and page builders in edinsights.dashboard.pages (moving them here, and
the models into per-module apps, is the rest of issue 14).
"""
