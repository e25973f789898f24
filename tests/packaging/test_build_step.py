"""The build step that copies the dashboard's JavaScript libraries from node_modules/ into the
package (build_backend/edinsights_build.py): what it copies, and the clear refusals when
node_modules/ does not hold what package-lock.json pins."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import ROOT


def _backend() -> ModuleType:
    # Not importable by name: only a build puts build_backend/ on the path (pyproject's backend-path).
    path = ROOT / "build_backend" / "edinsights_build.py"
    spec = importlib.util.spec_from_file_location("edinsights_build", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backend = _backend()

LOCK = {
    "node_modules/lib": {"version": "2.0.0"},
    "node_modules/@scope/dep": {"version": "1.1.0"},
    "node_modules/testlib": {"version": "3.0.0", "dev": True},
}
INSTALLED = {"lib": ("2.0.0", ["dist/lib.min.js", "LICENSE"]), "@scope/dep": ("1.1.0", ["LICENSE"])}
VENDOR = '"lib" = ["dist/lib.min.js", "LICENSE"]\n"@scope/dep" = ["LICENSE"]\n'


def project(root: Path, vendor: str, installed: dict[str, tuple[str, list[str]]]) -> Path:
    """A project with pyproject.toml's `[tool.edinsights.vendor]` and a node_modules/ as given."""
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[tool.edinsights.vendor]\n{vendor}")
    (root / "package-lock.json").write_text(json.dumps({"packages": {"": {}, **LOCK}}))
    for package, (version, files) in installed.items():
        directory = root / "node_modules" / package
        directory.mkdir(parents=True)
        (directory / "package.json").write_text(json.dumps({"name": package, "version": version}))
        for name in files:
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text(f"{package} {version} {name}")
    return root


def test_copies_the_listed_files_of_each_package_and_nothing_else(tmp_path: Path) -> None:
    root = project(tmp_path / "project", VENDOR, {**INSTALLED, "other": ("1.0.0", ["other.js"])})
    out = tmp_path / "out"
    (out / "dropped").mkdir(parents=True)
    (out / "dropped" / "old.js").write_text("a previous build's copy of a package no longer listed")
    backend.vendor(root, out)
    copied = {path.relative_to(out).as_posix(): path.read_text() for path in out.rglob("*") if path.is_file()}
    assert copied == {
        "lib/dist/lib.min.js": "lib 2.0.0 dist/lib.min.js",
        "lib/LICENSE": "lib 2.0.0 LICENSE",
        "@scope/dep/LICENSE": "@scope/dep 1.1.0 LICENSE",
    }


@pytest.mark.parametrize(
    ("vendor", "installed", "problems"),
    [
        pytest.param(
            VENDOR,
            {},
            [
                "node_modules has no lib, package-lock.json pins 2.0.0: run `npm ci` in {root}",
                "node_modules has no @scope/dep, package-lock.json pins 1.1.0: run `npm ci` in {root}",
            ],
            id="no node_modules",
        ),
        pytest.param(
            VENDOR,
            {**INSTALLED, "lib": ("1.9.0", ["dist/lib.min.js", "LICENSE"])},
            ["node_modules has lib 1.9.0, package-lock.json pins 2.0.0: run `npm ci` in {root}"],
            id="an older version installed",
        ),
        pytest.param(
            VENDOR,
            {**INSTALLED, "lib": ("2.0.0", ["LICENSE"])},
            ["{root}/node_modules/lib/dist/lib.min.js is missing (does lib 2.0.0 still ship it?)"],
            id="a file the package no longer has",
        ),
        pytest.param(
            '"testlib" = ["index.js"]\n',
            {"testlib": ("3.0.0", ["index.js"])},
            ["testlib is a devDependency (for the tests only) in package-lock.json: it must not ship"],
            id="a test-only package",
        ),
        pytest.param(
            '"unlocked" = ["index.js"]\n',
            {"unlocked": ("1.0.0", ["index.js"])},
            ["unlocked is not in package-lock.json: add it to package.json's dependencies"],
            id="a package the lock does not pin",
        ),
    ],
)
def test_refuses_with_the_fix_and_copies_nothing(
    tmp_path: Path, vendor: str, installed: dict[str, tuple[str, list[str]]], problems: list[str]
) -> None:
    root = project(tmp_path / "project", vendor, installed)
    with pytest.raises(backend.FileError) as refused:
        backend.vendor(root, tmp_path / "out")
    assert str(refused.value).splitlines() == [
        "cannot copy the dashboard's JavaScript libraries into the package:",
        *(f"  {problem.format(root=root)}" for problem in problems),
    ]
    assert not (tmp_path / "out").exists()


def test_the_projects_own_list_ships_chart_js_and_not_axe_core() -> None:
    """pyproject.toml's list against package.json: every runtime library ships, no test library."""
    package = json.loads((ROOT / "package.json").read_text())
    shipped = backend.vendored_files(ROOT)
    assert set(package["dependencies"]) <= set(shipped)
    assert not set(package["devDependencies"]) & set(shipped)
    assert "dist/chart.umd.min.js" in shipped["chart.js"] and "axe-core" in package["devDependencies"]
