"""edinsights' own analytics modules, one package per family (each `MODULE`, registered in
pyproject.toml under the `edinsights.modules` entry points like any third-party module).

Each family is a whole module: its Django app (models, migrations), metrics and their SQL,
vocabulary, Data API views, pages and routes (docs/architecture.md, "Analytics modules").
"""
