"""The forum module's tests use edinsights' public test fixtures and markers (docs/testing.md)."""

pytest_plugins = ["edinsights.testing.plugin"]
