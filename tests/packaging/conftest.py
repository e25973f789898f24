"""The package as a release builds it, installed into a fresh virtual environment and served.

Fixtures (session scope, except `live_server`: module):
- `source`: the project's files as a clone has them (`git ls-files`), copied to a temporary
  directory with the checkout's node_modules/ linked in, so that builds never write into the
  checkout (nor pick up a stale build/ there).
- `dist`: what `python -m build` makes of `source`: the sdist, the wheel built from the unpacked
  sdist (which has no node_modules/, as on a machine without npm), and the wheel built straight
  from `source` (`--wheel`, as `pip install .` does).
- `installed`: a new virtual environment outside the checkout, with the sdist's wheel installed
  by pip (its dependencies from the package index, as for any `pip install`).
- `demo_home`, `live_server`: the browser tests' fixtures of those names, but made by the installed
  package's own `edinsights demo --no-serve` and `edinsights serve`, from a directory outside the
  checkout. The browser tests' `page` fixture, imported here with `browser`, therefore signs in to
  the installed server.

Every command of the installed package runs with OUTSIDE: no PYTHONPATH (the tests' own may point
at the checkout's src/) and an EDINSIGHTS_NODE_MODULES that does not exist, so only the package's
own copy of Chart.js can serve the charts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures, used by name)
    DEMO_OPTIONS,
    DemoHome,
    _signed_in_state,
    browser,
    browser_errors,
    page,
)
from tests.conftest import serving

ROOT = Path(__file__).resolve().parents[2]

OUTSIDE = {"PYTHONPATH": "", "EDINSIGHTS_NODE_MODULES": "/nonexistent/node_modules"}
"""Environment overrides for the installed package's commands (an empty PYTHONPATH is none)."""


def run(command: list[str], cwd: Path, environment: dict[str, str] | None = None) -> str:
    """Run `command` from `cwd`; its standard output, or a failure that shows what it said."""
    completed = subprocess.run(
        command, cwd=cwd, env={**os.environ, **(environment or {})}, capture_output=True, text=True
    )
    assert completed.returncode == 0, f"{command} failed:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "edinsights"
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], ROOT)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file() and not (ROOT / name).is_symlink():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path
    """Built from the unpacked sdist."""
    direct_wheel: Path
    """Built straight from the source tree."""


@pytest.fixture(scope="session")
def dist(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Dist:
    release, direct = tmp_path_factory.mktemp("release"), tmp_path_factory.mktemp("direct")
    run([sys.executable, "-m", "build", "--outdir", str(release), str(source)], source)
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(direct), str(source)], source)
    (sdist,) = release.glob("*.tar.gz")
    (wheel,) = release.glob("*.whl")
    (direct_wheel,) = direct.glob("*.whl")
    return Dist(sdist, wheel, direct_wheel)


@dataclass(frozen=True)
class Installed:
    venv: Path
    outside: Path
    """A working directory outside the checkout."""

    def command(self, name: str) -> str:
        return str(self.venv / "bin" / name)


@pytest.fixture(scope="session")
def installed(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    outside = tmp_path_factory.mktemp("outside")
    venv = outside / "venv"
    # The tests' pip installs into the new environment (`--python`), which needs no pip of its own;
    # skipping byte-compilation halves the install time.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], outside)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-compile"]
    run([*pip, "--quiet", str(dist.wheel)], outside, OUTSIDE)
    return Installed(venv, outside)


@pytest.fixture(scope="session")
def demo_home(installed: Installed) -> DemoHome:
    home = installed.outside / "home"
    edinsights = installed.command("edinsights")
    run([edinsights, "--home", str(home), "demo", "--no-serve", *DEMO_OPTIONS], installed.outside, OUTSIDE)
    return DemoHome.of(home)


@pytest.fixture(scope="module")  # the server stops after the module's tests, not the session's
def live_server(installed: Installed, demo_home: DemoHome) -> Iterator[str]:
    edinsights = [installed.command("edinsights")]
    with serving(demo_home.home, OUTSIDE, workers=2, edinsights=edinsights, cwd=installed.outside) as url:
        yield url
