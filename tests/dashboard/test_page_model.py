"""The page record every module's builders return: breadcrumbs and the CSV table."""

from __future__ import annotations

from edinsights.dashboard.pages import Page, Section
from edinsights.dashboard.presentation import TEXT, Column, Table


def table(caption: str) -> Table:
    return Table(caption, [Column("name", "Name", TEXT)], [{"name": "x"}])


def test_the_trail_defaults_to_the_parent_and_the_csv_to_the_first_table() -> None:
    page = Page(
        "n", "T", (), "", sections=[Section(table("first")), Section(table("second"))], parent=("P", "/p/")
    )
    assert page.trail == (("P", "/p/"),)
    assert page.csv_table is page.sections[0].table
    deeper = Page("n", "T", (), "", trail=(("A", "/a/"), ("B", "/a/b/")), parent=("P", "/p/"))
    assert deeper.trail == (("A", "/a/"), ("B", "/a/b/"))


def test_a_page_without_tables_has_no_csv() -> None:
    assert Page("n", "T", (), "").csv_table is None
    download = table("download")
    assert Page("n", "T", (), "", download=download).csv_table is download
