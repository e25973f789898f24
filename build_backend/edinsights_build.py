"""edinsights' build backend: setuptools' own, plus copies of the dashboard's JavaScript libraries.

The libraries come from npm: `npm ci` installs what package-lock.json pins into node_modules/,
which is never committed. A wheel must carry them all the same, so building one copies the files
that pyproject.toml's `[tool.edinsights.vendor]` names from node_modules/ into the package, under
VENDOR (the dashboard app's static files, which serve them). An sdist carries the same copies, so a
wheel builds from it without node_modules, npm or a network. An editable install copies nothing:
the app then serves node_modules/ itself (edinsights.dashboard.assets).

pyproject.toml selects this module with `backend-path` and hooks the two commands in with
`[tool.setuptools.cmdclass]`.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from setuptools.build_meta import *  # noqa: F403  (setuptools' PEP 517 hooks, unchanged)
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import FileError

ROOT = Path(__file__).resolve().parents[1]
VENDOR = Path("edinsights", "dashboard", "static", "vendor")
"""Where the copies go, relative to the package root (src/ in the project)."""


def vendored_files(root: Path) -> dict[str, list[str]]:
    """`[tool.edinsights.vendor]`: npm package name -> the package's files that ship."""
    with (root / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["edinsights"]["vendor"]


def vendor(root: Path, destination: Path) -> None:
    """Copy the vendored files from ROOT/node_modules/PACKAGE/FILE to DESTINATION/PACKAGE/FILE.

    Refuses (FileError, which setuptools reports as "error: ...") when node_modules does not hold
    exactly what package-lock.json pins, or when a package is for the tests only.
    """
    wanted = vendored_files(root)
    locked = json.loads((root / "package-lock.json").read_text())["packages"]
    problems = [
        problem for package, files in wanted.items() for problem in _problems(root, package, files, locked)
    ]
    if problems:
        raise FileError(
            "cannot copy the dashboard's JavaScript libraries into the package:\n  " + "\n  ".join(problems)
        )
    # A build directory is reused between builds: copies that are no longer listed must go.
    shutil.rmtree(destination, ignore_errors=True)
    for package, files in wanted.items():
        for name in files:
            target = destination / package / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "node_modules" / package / name, target)


def _problems(root: Path, package: str, files: list[str], locked: dict[str, dict]) -> list[str]:
    """What stops PACKAGE's FILES from shipping, as sentences that say the fix."""
    pinned = locked.get(f"node_modules/{package}")
    if pinned is None:
        return [f"{package} is not in package-lock.json: add it to package.json's dependencies"]
    if pinned.get("dev"):
        return [f"{package} is a devDependency (for the tests only) in package-lock.json: it must not ship"]
    installed = root / "node_modules" / package
    manifest = installed / "package.json"
    version = json.loads(manifest.read_text())["version"] if manifest.is_file() else None
    if version != pinned["version"]:
        has = f"{package} {version}" if version else f"no {package}"
        return [f"node_modules has {has}, package-lock.json pins {pinned['version']}: run `npm ci` in {root}"]
    return [
        f"{installed / name} is missing (does {package} {version} still ship it?)"
        for name in files
        if not (installed / name).is_file()
    ]


def carries_copies(root: Path) -> bool:
    """True in an unpacked sdist: its package source already holds the copies (as package data)."""
    return (root / "src" / VENDOR).is_dir()


class BuildPy(build_py):
    """setuptools' build_py, then the copies into the built package (not for an editable install)."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode and not carries_copies(ROOT):
            vendor(ROOT, Path(self.build_lib) / VENDOR)


class Sdist(sdist):
    """setuptools' sdist, with the copies in its package source."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        if not carries_copies(ROOT):
            vendor(ROOT, Path(base_dir) / "src" / VENDOR)
