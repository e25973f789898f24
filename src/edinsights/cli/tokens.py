"""`edinsights token`: Data API tokens."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from edinsights.cli.common import _setup_web


@click.group()
def token() -> None:
    """Data API tokens."""


@token.command(name="create")
@click.argument("username")
@click.option(
    "--course", "courses", multiple=True, metavar="ID", help="A course the token may read (repeatable)."
)
@click.option("--all-courses", is_flag=True, help="The token may read every course.")
@click.pass_obj
def token_create(home: str, username: str, courses: tuple[str, ...], all_courses: bool) -> None:
    """Create (or replace) USERNAME's API token and print it; USERNAME is created if new."""
    _setup_web(home)
    from edinsights.api.tokens import GrantError, create_token

    try:
        click.echo(create_token(username, courses, all_courses))
    except GrantError as error:
        raise click.ClickException(str(error)) from error


@token.command(name="list")
@click.pass_obj
def token_list(home: str) -> None:
    """List the API tokens: user, the key's first characters, when made (no secrets)."""
    _setup_web(home)
    from edinsights.api.tokens import list_tokens

    table = Table(box=None, pad_edge=False)
    for column in ("username", "prefix", "created"):
        table.add_column(column)
    for info in list_tokens():
        table.add_row(info.username, info.prefix, f"{info.created:%Y-%m-%d %H:%M:%S} UTC")
    Console(width=max(Console().width, 120)).print(table)


@token.command(name="revoke")
@click.argument("name_or_prefix", metavar="USERNAME|PREFIX")
@click.pass_obj
def token_revoke(home: str, name_or_prefix: str) -> None:
    """Revoke USERNAME's token, or the token whose key starts with PREFIX (see `token list`)."""
    _setup_web(home)
    from edinsights.api.tokens import TokenError, revoke_tokens

    try:
        revoked = revoke_tokens(name_or_prefix)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    for info in revoked:
        click.echo(f"revoked the token {info.prefix}… of {info.username}")
