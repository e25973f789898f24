"""The `edinsights` command. Thin: parses options and calls into the packages.

The `main` group and its global options live here; each area's commands in a module of its own
(ingest, pipeline, accounts, tokens, web, demo; shared helpers in common). Analytics modules add
their own commands (`AnalyticsModule.cli_commands`), found when the command runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

from edinsights.cli.accounts import grant_command, user
from edinsights.cli.demo import demo, generate
from edinsights.cli.imports import import_group
from edinsights.cli.ingest import ingest
from edinsights.cli.pipeline import compute, run_command
from edinsights.cli.tokens import token
from edinsights.cli.web import migrate, serve
from edinsights.config import DEFAULT_HOME, ConfigError

__all__ = ["main"]


class _Commands(click.Group):
    """The command group: a configuration file edinsights cannot use is a message, not a traceback.

    Besides its own commands it offers the analytics modules' commands, collected afresh at each
    top-level invocation (so a module installed or removed shows up at the next run), and only
    when asked for: a built-in command never pays for importing every module.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._module_commands: dict[str, click.Command] | None = None

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        if parent is None:  # a new top-level invocation: look at the installed modules again
            self._module_commands = None
        return super().make_context(info_name, args, parent, **extra)

    @property
    def module_commands(self) -> dict[str, click.Command]:
        """The modules' commands by name (found at the first question of this invocation)."""
        if self._module_commands is None:
            self._module_commands = _module_commands(self.commands, _installed_modules())
        return self._module_commands

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        return super().get_command(context, name) or self.module_commands.get(name)

    def list_commands(self, context: click.Context) -> list[str]:
        return sorted({*super().list_commands(context), *self.module_commands})

    def invoke(self, context: click.Context) -> object:
        try:
            return super().invoke(context)
        except ConfigError as error:
            raise click.ClickException(str(error)) from error


def _installed_modules() -> Sequence[Any]:
    """The analytics modules; none (after an error line) when they cannot be loaded, so that the
    built-in commands keep working."""
    try:
        return tuple(_discover_modules())
    except Exception as error:  # e.g. a broken third-party module
        click.echo(f"Error: the analytics modules could not be loaded: {error}", err=True)
        return ()


def _discover_modules() -> Iterable[Any]:
    """`edinsights.modules.modules()`, imported here so that importing the CLI loads no module."""
    from edinsights.modules import modules

    return modules()


def _module_commands(
    builtin: Mapping[str, click.Command], installed: Iterable[Any]
) -> dict[str, click.Command]:
    """name → command over the modules' `cli_commands`, leaving out (with an error line naming the
    module) a command named like a built-in one or like another module's."""
    added: dict[str, click.Command] = {}
    owners: dict[str, str] = {}
    for module in installed:
        module_name = module.name  # not repr(): a module's lazy labels need Django's settings
        for command in getattr(module, "cli_commands", ()):
            name = getattr(command, "name", None) if isinstance(command, click.Command) else None
            if not name:
                click.echo(
                    f"Error: analytics module {module_name!r}: {command!r} is not a named click command; "
                    "not added",
                    err=True,
                )
            elif name in builtin:
                click.echo(
                    f"Error: analytics module {module_name!r}: its command {name!r} has the name of a "
                    "built-in command; not added",
                    err=True,
                )
            elif name in added:
                click.echo(
                    f"Error: analytics module {module_name!r}: its command {name!r} is already the "
                    f"command of module {owners[name]!r}; not added",
                    err=True,
                )
            else:
                added[name] = command
                owners[name] = module_name
    return added


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    envvar="EDINSIGHTS_HOME",
    default=DEFAULT_HOME,
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory holding the configuration file, the event store and the default result store "
    "(env EDINSIGHTS_HOME).",
)
@click.option(
    "--results-db",
    envvar="EDINSIGHTS_RESULTS_DB",
    metavar="URL",
    help="Result store: sqlite:///PATH, mysql://USER[:PASSWORD]@HOST/DB or postgresql://USER@HOST/DB "
    "(env EDINSIGHTS_RESULTS_DB; default SQLite at HOME/results.sqlite3).",
)
@click.version_option(package_name="edinsights")
@click.pass_context
def main(context: click.Context, home: str, results_db: str | None) -> None:
    """edinsights: open learning analytics for Open edX."""
    if results_db:
        # Settings.load (here and in the web side's Django settings) reads it from there.
        os.environ["EDINSIGHTS_RESULTS_DB"] = results_db
    # Loaded by the commands that need it, so that `--help` creates no home directory.
    context.obj = home


def _stdin_is_terminal() -> bool:
    """Whether `user create` can ask for the password (here, so that tests can replace it)."""
    return sys.stdin.isatty()


for _command in (ingest, migrate, compute, run_command, token, grant_command, user, generate, demo, serve):
    main.add_command(_command)
main.add_command(import_group)  # `edinsights import structure` (docs/structure.md)
