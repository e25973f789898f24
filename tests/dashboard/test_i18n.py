"""Every word the web pages show comes through Django's translation machinery."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edinsights

TEMPLATES = sorted(Path(edinsights.__file__).parent.glob("*/templates/**/*.html"))
NOT_WORDS = {"edinsights", "UTC"}  # the product's name and the time zone's are not translated
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def untranslated(template: str) -> list[str]:
    """Words outside {% translate %}/{% blocktranslate %}, variables, tags, scripts and styles."""
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", template, flags=re.S)
    # Scripts, styles and commands (<code>) are not prose.
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S)
    attributes = re.findall(rf'(?:{"|".join(SHOWN_ATTRIBUTES)})="([^"]*)"', text)
    text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"<!doctype[^>]*>|<[^>]+>|&\w+;", " ", text, flags=re.S | re.I)
    shown = [re.sub(r"{%.*?%}|{{.*?}}", " ", value) for value in attributes] + [text]
    words = [word for part in shown for word in re.findall(r"[A-Za-z][A-Za-z']+", part)]
    return sorted(word for word in words if word not in NOT_WORDS)


def test_templates_were_found() -> None:
    names = {path.name for path in TEMPLATES}
    assert {"course_page.html", "courses.html", "base.html", "login.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_shows_untranslated_words(path: Path) -> None:
    assert untranslated(path.read_text()) == []


def test_the_check_finds_plain_words() -> None:
    assert untranslated('<p>Hello {% translate "World" %}</p><input placeholder="Search">') == [
        "Hello",
        "Search",
    ]
