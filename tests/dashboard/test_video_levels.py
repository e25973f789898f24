"""Engagement > Videos by course structure: sections → subsections → videos → a video's timeline.

Each level's numbers are recomputed here from the `video` result rows and the `course_structure`
rows (walking parent ids, not through the outline module the pages use), on the simulated
courses and on a small hand-made course whose every number is known.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from urllib.parse import quote

import pytest

from tests.dashboard.conftest import Dashboard, summary_row
from tests.dashboard.test_pages import rows

CREATED = datetime(2024, 3, 18, tzinfo=UTC)


def videos_url(course: str, *keys: str) -> str:
    return f"/courses/{course}/engagement/videos/" + "".join(f"{quote(key, safe='()')}/" for key in keys)


@dataclass
class Part:
    """A section or subsection as recomputed here: its key, name and videos' (start, end)."""

    key: str
    name: str
    views: list[tuple[int, int]] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    """Keys of its videos, in outline order."""

    @property
    def complete(self) -> int:
        return sum(end for _, end in self.views)

    @property
    def incomplete(self) -> int:
        return sum(max(start - end, 0) for start, end in self.views)


def expected(course: str) -> tuple[list[Part], dict[str, list[Part]]]:
    """Sections, and each section's subsections, from the result rows alone."""
    from edinsights.families.video.models import Video
    from edinsights.structure.models import CourseBlock

    watched = {video.encoded_module_id: video for video in Video.objects.filter(course_id=course)}
    blocks = list(CourseBlock.objects.filter(course_id=course).order_by("sort_idx", "block_id"))
    by_id = {block.block_id: block for block in blocks}

    def ancestor(block, kind):  # type: ignore[no-untyped-def]
        while block is not None and block.block_type != kind:
            block = by_id.get(block.parent_block_id) if block.parent_block_id else None
        return block

    sections: dict[str, Part] = {}
    subsections: dict[str, dict[str, Part]] = defaultdict(dict)
    placed: set[str] = set()
    for block in blocks:
        if block.block_type != "video" or block.is_orphan:
            continue
        chapter, sequential = ancestor(block, "chapter"), ancestor(block, "sequential")
        assert chapter is not None and sequential is not None, block.block_id
        section = sections.setdefault(chapter.block_name, Part(chapter.block_name, chapter.display_name))
        subsection = subsections[chapter.block_name].setdefault(
            sequential.block_name, Part(sequential.block_name, sequential.display_name)
        )
        video = watched.get(block.block_name)
        view = (video.users_at_start, video.users_at_end) if video else (0, 0)
        for part in (section, subsection):
            part.views.append(view)
            part.videos.append(block.block_name)
        placed.add(block.block_name)
    gone = sorted(set(watched) - placed)
    if gone:
        deleted = Part("(deleted)", "(Deleted)")
        for key in gone:
            deleted.views.append((watched[key].users_at_start, watched[key].users_at_end))
            deleted.videos.append(key)
        sections["(deleted)"] = deleted
        subsections["(deleted)"]["(deleted)"] = Part("(deleted)", "(Deleted)", deleted.views, deleted.videos)
    return list(sections.values()), {key: list(parts.values()) for key, parts in subsections.items()}


def assert_level(csv_rows: list[dict[str, str]], parts: list[Part]) -> None:
    assert [row["key"] for row in csv_rows] == [part.key for part in parts]
    for order, (row, part) in enumerate(zip(csv_rows, parts, strict=True), 1):
        count = len(part.views)
        assert int(row["order"]) == order
        assert row["name"] == part.name
        assert int(row["videos"]) == count
        assert float(row["average_complete"]) == round(part.complete / count, 1)
        assert float(row["average_incomplete"]) == round(part.incomplete / count, 1)
        total = part.complete + part.incomplete
        if total:
            assert float(row["completion"]) == pytest.approx(100 * part.complete / total, abs=1e-3)
        else:
            assert row["completion"] == ""


def assert_videos(csv_rows: list[dict[str, str]], part: Part) -> None:
    assert [row["key"] for row in csv_rows] == part.videos
    for order, (row, (start, end)) in enumerate(zip(csv_rows, part.views, strict=True), 1):
        assert int(row["order"]) == order
        assert int(row["complete"]) == end
        assert int(row["incomplete"]) == max(start - end, 0)
        if max(start, end):
            assert float(row["completion"]) == pytest.approx(100 * end / max(start, end), abs=1e-3)


def hrefs(html: str) -> set[str]:
    return {unescape(link) for link in re.findall(r'href="([^"]+)"', html)}


@pytest.fixture(scope="module")
def staff(dashboard: Dashboard):  # type: ignore[no-untyped-def]
    return dashboard.client("staff")


def test_every_level_adds_up_the_result_rows(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.video.models import Video

    for course in dashboard.courses:
        sections, subsections = expected(course)
        assert sections, course  # the simulated courses have videos in their outline
        assert_level(rows(staff.get(videos_url(course) + "?format=csv")), sections)
        shown: list[str] = []
        for section in sections:
            level = rows(staff.get(videos_url(course, section.key) + "?format=csv"))
            if not section.complete + section.incomplete:
                assert level == []  # nobody watched: the empty state
                continue
            assert_level(level, subsections[section.key])
            for subsection in subsections[section.key]:
                if not subsection.complete + subsection.incomplete:
                    continue
                listed = rows(staff.get(videos_url(course, section.key, subsection.key) + "?format=csv"))
                assert_videos(listed, subsection)
                shown += [row["key"] for row in listed]
        # Every video somebody watched is on one subsection page, and no video is on two.
        watched = Video.objects.filter(course_id=course).exclude(users_at_start=0, users_at_end=0)
        assert {video.encoded_module_id for video in watched} <= set(shown)
        assert len(shown) == len(set(shown))


def test_rows_link_deeper_only_with_views(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    course = dashboard.courses[0]
    sections, subsections = expected(course)
    html = staff.get(videos_url(course)).content.decode()
    links = hrefs(html)
    for section in sections:
        assert (videos_url(course, section.key) in links) == bool(section.complete + section.incomplete)
    section = next(s for s in sections if s.complete and s.key != "(deleted)")
    subsection = next(s for s in subsections[section.key] if s.complete)
    html = staff.get(videos_url(course, section.key, subsection.key)).content.decode()
    links = hrefs(html)
    for key, (start, end) in zip(subsection.videos, subsection.views, strict=True):
        assert (videos_url(course, key) in links) == bool(max(start, end))


def test_breadcrumbs_titles_and_previous_next(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.video.models import Video
    from edinsights.structure.models import CourseBlock

    course = dashboard.courses[0]
    sections, subsections = expected(course)
    section = next(s for s in sections if s.complete and s.key != "(deleted)")
    subsection = next(s for s in subsections[section.key] if s.complete)

    def crumbs(url: str) -> list[tuple[str, str]]:
        html = staff.get(url).content.decode()
        trail = re.search(r'<nav aria-label="Breadcrumb" class="breadcrumb"><ol>(.*?)</ol></nav>', html, re.S)
        assert trail is not None
        return [
            (unescape(n), unescape(h)) for h, n in re.findall(r'<a href="([^"]+)">([^<]*)</a>', trail[1])
        ][2:]

    def title(url: str) -> str:
        match = re.search(r"<h1>([^<]*)</h1>", staff.get(url).content.decode())
        assert match is not None
        return unescape(match[1])

    assert crumbs(videos_url(course)) == []
    assert crumbs(videos_url(course, section.key)) == [("Videos", videos_url(course))]
    assert title(videos_url(course, section.key)) == section.name
    sub_url = videos_url(course, section.key, subsection.key)
    assert crumbs(sub_url) == [
        ("Videos", videos_url(course)),
        (section.name, videos_url(course, section.key)),
    ]
    assert title(sub_url) == subsection.name
    # The video's page: its display name, its place in the outline.
    watched = {v.encoded_module_id for v in Video.objects.filter(course_id=course)}
    key = next(k for k in subsection.videos if k in watched)
    names = dict(CourseBlock.objects.filter(course_id=course).values_list("block_name", "display_name"))
    assert title(videos_url(course, key)) == names[key]
    assert crumbs(videos_url(course, key)) == [
        ("Videos", videos_url(course)),
        (section.name, videos_url(course, section.key)),
        (subsection.name, sub_url),
    ]
    # Previous and next: the neighbours in outline order among the videos with results.
    order = [k for s in sections for k in s.videos if k in watched]
    for here in (0, 1, len(order) - 1):
        html = staff.get(videos_url(course, order[here])).content.decode()
        pager = dict(re.findall(r'<a href="([^"]+)" rel="(prev|next)">', html))
        expected_pager = {}
        if here > 0:
            expected_pager[videos_url(course, order[here - 1])] = "prev"
        if here + 1 < len(order):
            expected_pager[videos_url(course, order[here + 1])] = "next"
        assert {unescape(k): v for k, v in pager.items()} == expected_pager


HAND = "course-v1:edX+Hand+2024"


def _block(kind: str, name: str, parent: str | None, index: int, display: str, orphan: bool = False):  # type: ignore[no-untyped-def]
    from edinsights.structure.models import CourseBlock

    def usage(kind: str, name: str) -> str:
        return f"block-v1:edX+Hand+2024+type@{kind}+block@{name}"

    kinds = {"c": "chapter", "s": "sequential", "v": "vertical", "x": "video", "course": "course"}
    return CourseBlock(
        course_id=HAND,
        block_id=usage(kinds[kind], name),
        block_name=name,
        block_type=kinds[kind],
        display_name=display,
        parent_block_id=parent and usage(*parent.split(":")),
        sort_idx=index,
        is_root=kind == "course",
        is_orphan=orphan,
        is_dag=False,
        course_path="",
        graded=False,
        format=None,
        due=None,
        start=None,
        created=CREATED,
    )


@pytest.fixture
def hand_course(dashboard: Dashboard) -> Iterator[str]:
    """Section "Week <1>" (subsection "One": videos a (10 start, 4 end), b (2, 5: more ended than
    started); subsection "Two": video c, never watched), section "Week 2" (subsection "Three":
    video d, never watched; subsection "Four": no video), section "Week 3" (nothing), an orphan
    video o (3, 1) and a video the structure does not list, gone (6, 6)."""
    from edinsights.families.video.models import Video
    from edinsights.structure.models import CourseBlock

    CourseBlock.objects.bulk_create(
        [
            _block("course", "course", None, 0, "Hand"),
            _block("c", "w1", "course:course", 1, "Week <1>"),
            _block("s", "one", "chapter:w1", 2, "One"),
            _block("v", "u1", "sequential:one", 3, "Unit"),
            _block("x", "a", "vertical:u1", 4, "Video <a>"),
            _block("x", "b", "vertical:u1", 5, "Video b"),
            _block("s", "two", "chapter:w1", 6, "Two"),
            _block("v", "u2", "sequential:two", 7, "Unit"),
            _block("x", "c", "vertical:u2", 8, "Video c"),
            _block("c", "w2", "course:course", 9, "Week 2"),
            _block("s", "three", "chapter:w2", 10, "Three"),
            _block("v", "u3", "sequential:three", 11, "Unit"),
            _block("x", "d", "vertical:u3", 12, "Video d"),
            _block("s", "four", "chapter:w2", 13, "Four"),
            _block("c", "w3", "course:course", 14, "Week 3"),
            _block("x", "o", None, 15, "Orphan", orphan=True),
        ]
    )
    for key, start, end in (("a", 10, 4), ("b", 2, 5), ("o", 3, 1), ("gone", 6, 6)):
        Video.objects.create(
            pipeline_video_id=f"{HAND}|{key}",
            course_id=HAND,
            encoded_module_id=key,
            duration=100,
            segment_length=5,
            users_at_start=start,
            users_at_end=end,
            total_viewed_seconds=100,
            created=CREATED,
        )
    try:
        yield HAND
    finally:
        Video.objects.filter(course_id=HAND).delete()
        CourseBlock.objects.filter(course_id=HAND).delete()


def test_a_known_course(hand_course: str, staff) -> None:  # type: ignore[no-untyped-def]
    sections = rows(staff.get(videos_url(hand_course) + "?format=csv"))
    # Week <1>: a 4 complete 6 incomplete, b 5 and 0 (clamped), c 0 and 0: 9 and 6 over 3 videos.
    # (Deleted): the orphan o (1, 2) and gone (6, 0).
    assert [
        (r["key"], r["name"], r["videos"], r["average_complete"], r["average_incomplete"]) for r in sections
    ] == [
        ("w1", "Week <1>", "3", "3.0", "2.0"),
        ("w2", "Week 2", "1", "0.0", "0.0"),
        ("(deleted)", "(Deleted)", "2", "3.5", "1.0"),
    ]
    assert float(sections[0]["completion"]) == pytest.approx(60.0)
    assert sections[1]["completion"] == ""
    html = staff.get(videos_url(hand_course)).content.decode()
    assert "Week &lt;1&gt;" in html and "Week <1>" not in html  # author text is escaped
    assert videos_url(hand_course, "w2") not in hrefs(html)  # no views: no link
    subsections = rows(staff.get(videos_url(hand_course, "w1") + "?format=csv"))
    assert [(r["key"], r["videos"], r["average_complete"], r["average_incomplete"]) for r in subsections] == [
        ("one", "2", "4.5", "3.0"),
        ("two", "1", "0.0", "0.0"),
    ]
    listed = rows(staff.get(videos_url(hand_course, "w1", "one") + "?format=csv"))
    assert [(r["key"], r["name"], r["complete"], r["incomplete"]) for r in listed] == [
        ("a", "Video <a>", "4", "6"),
        ("b", "Video b", "5", "0"),
    ]
    assert float(listed[0]["completion"]) == pytest.approx(40.0)
    assert float(listed[1]["completion"]) == pytest.approx(100.0)
    gone = rows(staff.get(videos_url(hand_course, "(deleted)", "(deleted)") + "?format=csv"))
    assert [(r["key"], r["name"], r["complete"], r["incomplete"]) for r in gone] == [
        ("gone", "gone", "6", "0"),
        ("o", "Orphan", "1", "2"),
    ]
    # A section or subsection that nobody watched, or without videos, says so.
    for url in (
        videos_url(hand_course, "w2"),
        videos_url(hand_course, "w1", "two"),
        videos_url(hand_course, "w3"),
        videos_url(hand_course, "w2", "four"),
    ):
        assert (
            "Looks like no one has watched any videos in these sections." in staff.get(url).content.decode()
        )
    html = staff.get(videos_url(hand_course, "w2", "four")).content.decode()
    assert f'<a href="{videos_url(hand_course, "w2")}">Week 2</a>' in html and "<h1>Four</h1>" in html
    for url in (
        videos_url(hand_course, "w3", "four"),
        videos_url(hand_course, "four"),
        videos_url(hand_course, "u1"),
    ):
        assert staff.get(url).status_code == 404, url
    # The video's page: display name, trail, previous/next in outline order (a, b, then deleted o… gone).
    html = staff.get(videos_url(hand_course, "b")).content.decode()
    assert re.search(r"<h1>Video b</h1>", html)
    assert f'href="{videos_url(hand_course, "a")}" rel="prev"' in html
    assert f'href="{videos_url(hand_course, "gone")}" rel="next"' in html
    html = staff.get(videos_url(hand_course, "gone")).content.decode()
    assert f'href="{videos_url(hand_course, "(deleted)", "(deleted)")}"' in html
    assert "<h1>Video &lt;a&gt;</h1>" in staff.get(videos_url(hand_course, "a")).content.decode()


def test_without_structure_the_flat_list_stays(hand_course: str, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.structure.models import CourseBlock

    CourseBlock.objects.filter(course_id=hand_course).delete()
    listed = rows(staff.get(videos_url(hand_course) + "?format=csv"))
    assert [(r["video"], r["users_at_start"], r["users_at_end"]) for r in listed] == [
        ("a", "10", "4"),
        ("b", "2", "5"),
        ("gone", "6", "6"),
        ("o", "3", "1"),
    ]
    assert staff.get(videos_url(hand_course, "w1")).status_code == 404
    html = staff.get(videos_url(hand_course, "a")).content.decode()
    assert "<h1>a</h1>" in html and 'rel="next"' not in html


def test_a_course_whose_videos_nobody_watched(dashboard: Dashboard, staff) -> None:  # type: ignore[no-untyped-def]
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment
    from edinsights.structure.models import CourseBlock

    course = "course-v1:edX+Unwatched+2024"
    summary_row(course, "audit", 2).save()
    blocks = [_block("c", "w1", None, 1, "Week"), _block("s", "one", "chapter:w1", 2, "One")]
    blocks.append(_block("x", "a", "sequential:one", 3, "Video"))
    for block in blocks:
        block.course_id = course
    CourseBlock.objects.bulk_create(blocks)
    try:
        for url in (videos_url(course), videos_url(course, "w1"), videos_url(course, "w1", "one")):
            response = staff.get(url)
            assert response.status_code == 200
            assert "Looks like no one has watched any videos in these sections." in response.content.decode()
            assert rows(staff.get(url + "?format=csv")) == []
    finally:
        CourseBlock.objects.filter(course_id=course).delete()
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()


def test_every_level_is_isolated(dashboard: Dashboard) -> None:
    granted, other = dashboard.courses[0], dashboard.courses[1]
    client, nobody, staff = (dashboard.client(name) for name in ("granted", "nobody", "staff"))

    def level_urls(course: str) -> list[str]:
        sections, subsections = expected(course)
        section = next(s for s in sections if s.complete and s.key != "(deleted)")
        subsection = next(s for s in subsections[section.key] if s.complete)
        return [
            videos_url(course),
            videos_url(course, section.key),
            videos_url(course, section.key, subsection.key),
            videos_url(
                course,
                next(k for k, view in zip(subsection.videos, subsection.views, strict=True) if max(view)),
            ),
        ]

    for url in level_urls(granted):
        assert client.get(url).status_code == 200, url
        assert client.get(url + "?format=csv").status_code == 200, url
        assert nobody.get(url).status_code == 404, url
        assert nobody.get(url + "?format=csv").status_code == 404, url
    for url in level_urls(other):
        assert staff.get(url).status_code == 200, url
        assert client.get(url).status_code == 404, url
        assert client.get(url + "?format=csv").status_code == 404, url
        # A readable course in the URL does not reveal the other course's section.
        if url != videos_url(other):
            assert staff.get(url.replace(other, granted, 1)).status_code == 404, url
    sections, subsections = expected(granted)
    real = [s for s in sections if s.key != "(deleted)"]
    first, second = real[0], real[1]
    for url in (
        videos_url(granted, "no-such-section"),
        videos_url(granted, first.key, "no-such-subsection"),
        videos_url(granted, "no-such-section", subsections[first.key][0].key),
        # A subsection under another section than its own.
        videos_url(granted, second.key, subsections[first.key][0].key),
        # A subsection's key where a section's belongs.
        videos_url(granted, subsections[first.key][0].key),
    ):
        assert staff.get(url).status_code == 404, url
        assert staff.get(url + "?format=csv").status_code == 404, url
