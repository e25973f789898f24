"""`edinsights user` and `edinsights grant`: accounts and the courses they read."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from edinsights.cli.common import _setup_web


@click.command(name="grant")
@click.argument("username")
@click.argument("courses", nargs=-1)
@click.option("--all-courses", is_flag=True, help="Every course.")
@click.pass_obj
def grant_command(home: str, username: str, courses: tuple[str, ...], all_courses: bool) -> None:
    """Let USERNAME read COURSES (in the API and the dashboard); USERNAME is created if new."""
    _setup_web(home)
    from edinsights.api.tokens import GrantError, grant

    try:
        granted = grant(username, courses, all_courses)
    except GrantError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{username} may read {'every course' if all_courses else ', '.join(granted)}")


@click.group()
def user() -> None:
    """Accounts that sign in with a password (LMS users get theirs at their first sign-in)."""


@user.command(name="create")
@click.argument("username")
@click.option("--email", default="", help="E-mail address.")
@click.option("--staff", is_flag=True, help="May read every course.")
@click.option("--superuser", is_flag=True, help="Every permission (implies --staff).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (default: ask twice on the terminal).",
)
@click.pass_obj
def user_create(
    home: str, username: str, email: str, staff: bool, superuser: bool, password_stdin: bool
) -> None:
    """Create the account USERNAME with a password.

    It reads the courses `edinsights grant` gives it; --staff and --superuser read every course.
    """
    _setup_web(home)
    from edinsights.web.accounts import AccountError, check_new_account, create_account

    try:
        # Before the password, so that a taken name is not found after typing it twice.
        check_new_account(username, email)
        account = create_account(username, _new_password(password_stdin), email, staff, superuser)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    role = "superuser" if account.superuser else "staff" if account.staff else "reads granted courses only"
    click.echo(f"created user {account.username} ({role})")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        # One line, so that `printf '%s\n' "$PASSWORD" | edinsights user create ...` works; the
        # line end is not part of the password, other white space is.
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    # Looked up on the package, where tests replace it.
    import edinsights.cli

    if not edinsights.cli._stdin_is_terminal():
        raise click.ClickException("no terminal to ask for the password on: give --password-stdin")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command(name="list")
@click.pass_obj
def user_list(home: str) -> None:
    """List the accounts: roles, how they sign in, and the courses they read."""
    _setup_web(home)
    from edinsights.web.accounts import list_accounts

    table = Table(box=None, pad_edge=False)
    for column in ("username", "email", "role", "sign-in", "courses"):
        table.add_column(column)
    for account in list_accounts():
        role = "superuser" if account.superuser else "staff" if account.staff else "-"
        ways = [("password", account.password), ("sso", account.sso)]
        sign_in = ", ".join(name for name, has in ways if has)
        courses = "all" if account.courses is None else ", ".join(account.courses) or "-"
        inactive = "" if account.active else " (inactive)"
        table.add_row(account.username + inactive, account.email or "-", role, sign_in or "-", courses)
    # Wide enough that course ids are never cut, also when piped.
    Console(width=max(Console().width, 200)).print(table)


@user.command(name="deactivate")
@click.argument("username")
@click.pass_obj
def user_deactivate(home: str, username: str) -> None:
    """Stop USERNAME: no sign-in, its open sessions end, its API token is refused."""
    _set_active(home, username, False)


@user.command(name="activate")
@click.argument("username")
@click.pass_obj
def user_activate(home: str, username: str) -> None:
    """Let a deactivated USERNAME sign in and use its API token again."""
    _set_active(home, username, True)


def _set_active(home: str, username: str, active: bool) -> None:
    _setup_web(home)
    from edinsights.web.accounts import AccountError, set_active

    try:
        changed = set_active(username, active)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    state = "active" if active else "deactivated"
    click.echo(f"{username} {'is now' if changed else 'was already'} {state}")


@user.command(name="unlock")
@click.argument("username")
@click.option("--address", metavar="IP", help="Also lift the lock of this client address.")
@click.pass_obj
def user_unlock(home: str, username: str, address: str | None) -> None:
    """Lift a sign-in lockout of USERNAME now, rather than at the end of its cool-off."""
    import ipaddress

    if address:
        try:
            ipaddress.ip_address(address)
        except ValueError as error:
            raise click.ClickException(f"not an IP address: {address!r}") from error
    _setup_web(home)
    from edinsights.web.accounts import unlock, unlock_address

    forgotten = unlock(username) + (unlock_address(address) if address else 0)
    click.echo(
        f"unlocked {username}{f' and {address}' if address else ''} ({forgotten} failure records removed)"
    )
