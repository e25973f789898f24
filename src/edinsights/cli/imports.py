"""`edinsights import structure`: course outlines, catalog and grading policy into the event store."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from edinsights.config import Settings


@click.group("import")
def import_group() -> None:
    """Import what the tracking logs do not hold (course structure) into the event store."""


@import_group.command("structure")
@click.option(
    "--olx",
    "olx_paths",
    multiple=True,
    metavar="PATH",
    type=click.Path(exists=True),
    help="A course export (.tar.gz) or its unpacked directory; repeat for several courses.",
)
@click.option(
    "--lms-url",
    metavar="URL",
    help="Read every course from this LMS's REST APIs (default: [lms] url in edinsights.toml).",
)
@click.option("--client-id", metavar="ID", help="The LMS OAuth2 client (default: [lms], else [sso]).")
@click.option(
    "--client-secret",
    metavar="SECRET",
    envvar="EDINSIGHTS_LMS_CLIENT_SECRET",
    help="Its secret (env EDINSIGHTS_LMS_CLIENT_SECRET; default: [lms], else [sso]).",
)
@click.option(
    "--course-id",
    "course_ids",
    multiple=True,
    metavar="ID",
    help="With --olx: the course key of the one export (instead of course-v1:{org}+{course}+{url_name}). "
    "With the LMS: import only these courses (repeatable).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Exports read in parallel (default: the cores), or LMS courses fetched at once (default 4).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.pass_obj
def structure_command(
    home: str,
    olx_paths: tuple[str, ...],
    lms_url: str | None,
    client_id: str | None,
    client_secret: str | None,
    course_ids: tuple[str, ...],
    workers: int | None,
    as_json: bool,
) -> None:
    """Import course structure (the outline), the catalog and the grading policy.

    From course exports (--olx PATH...) or from the LMS's REST APIs (--lms-url, or [lms] in
    edinsights.toml). The import becomes current as a whole once every course is stored; on an
    error nothing of it is used and the previous structure stays (exit status 1). A course the
    LMS answers 404 for is skipped and listed. See docs/structure.md.
    """
    from edinsights.structure.importer import import_lms, import_olx
    from edinsights.structure.lms import LmsClient
    from edinsights.structure.model import StructureError
    from edinsights.structure.storage import StructureLockedError, StructureStore

    settings = Settings.load(home)
    store = StructureStore(settings.store_path)
    use_lms = bool(lms_url) or not olx_paths
    if olx_paths and lms_url:
        raise click.UsageError("give --olx PATH... or --lms-url, not both")
    try:
        if not use_lms:
            if len(course_ids) > 1:
                raise click.UsageError("--course-id with --olx names the course of one export")
            summary = import_olx(store, olx_paths, course_ids[0] if course_ids else None, workers=workers)
        else:
            url = lms_url or settings.lms.url
            client_id = client_id or settings.lms.client_id
            client_secret = client_secret or settings.lms.client_secret
            if not url:
                raise click.UsageError(
                    "give --olx PATH... or --lms-url URL (or [lms] url in edinsights.toml)"
                )
            if not (client_id and client_secret):
                raise click.UsageError(
                    "the LMS needs --client-id and --client-secret (or [lms] client_id and client_secret)"
                )
            with LmsClient(url, client_id, client_secret) as client:
                summary = import_lms(store, client, course_ids or None, workers=workers or 4)
    except (StructureError, StructureLockedError, ValueError) as error:
        # One line naming the course (or the LMS, or the export) and the cause; exit status 1.
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(summary.to_dict(), sort_keys=True, default=str))
        return
    console = Console()
    table = Table(title=f"import structure {summary.import_id or '(nothing imported)'}", show_header=False)
    table.add_row("from", escape(summary.source))
    table.add_row("courses imported", f"{len(summary.courses):,}")
    table.add_row("blocks", f"{summary.blocks:,}")
    table.add_row("courses skipped", f"{len(summary.skipped):,}")
    table.add_row("seconds", f"{summary.seconds:,.2f}")
    console.print(table)
    for skipped in summary.skipped:
        line = f"[yellow]skipped:[/] {escape(skipped['course_id'])}: {escape(skipped['reason'])}"
        console.print(line, highlight=False, soft_wrap=True)
