"""Who sees what: the dashboard reads through the API's permission layer (pages, CSV, API alike)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.dashboard.conftest import Dashboard, summary_row
from tests.dashboard.test_pages import PAGES, rows


def test_signed_out_users_are_sent_to_sign_in(dashboard: Dashboard) -> None:
    from django.test import Client

    for url in ["/", "/courses/", f"/courses/{dashboard.courses[0]}/", "/courses/?format=csv"]:
        response = Client().get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_a_granted_user_sees_only_the_granted_course(dashboard: Dashboard) -> None:
    granted, *others = dashboard.courses
    client = dashboard.client("granted")
    assert [row["course_id"] for row in rows(client.get("/courses/?format=csv"))] == [granted]
    assert "1 course" in client.get("/courses/").content.decode()
    for page in PAGES:
        assert client.get(f"/courses/{granted}/{page}").status_code == 200
        for course in others:
            for suffix in ("", "?format=csv"):
                assert client.get(f"/courses/{course}/{page}{suffix}").status_code == 404
            # The API answers the same through the same layer.
        assert client.get(f"/api/v0/courses/{others[0]}/enrollment/").status_code == 404


def test_item_pages_of_other_courses_are_404(dashboard: Dashboard) -> None:
    from edinsights.families.problems.models import AnswerDistribution
    from edinsights.families.video.models import Video

    granted, other = dashboard.courses[0], dashboard.courses[1]
    video = Video.objects.filter(course_id=other).first()
    problem = AnswerDistribution.objects.filter(course_id=other).first()
    client = dashboard.client("granted")
    staff = dashboard.client("staff")
    for url in (
        f"/courses/{other}/engagement/videos/{video.encoded_module_id}/",
        f"/courses/{other}/performance/problems/{problem.module_id}/",
    ):
        assert staff.get(url).status_code == 200
        assert client.get(url).status_code == 404
        assert client.get(url + "?format=csv").status_code == 404
        # Nor does naming a readable course in the URL reveal another course's item.
        assert staff.get(url.replace(other, granted, 1)).status_code == 404


def test_malformed_ids_are_400_and_unknown_ones_404(dashboard: Dashboard) -> None:
    staff = dashboard.client("staff")
    course = dashboard.courses[0]
    response = staff.get("/courses/not a course/")
    assert response.status_code == 400 and "Not a valid course id" in response.content.decode()
    assert staff.get("/courses/course-v1:edX+Nothing+2024/").status_code == 404
    assert staff.get(f"/courses/{course}/engagement/videos/no-such-video/").status_code == 404
    response = staff.get(f"/courses/{course}/performance/problems/not-a-key/")
    assert response.status_code == 400 and "Not a valid problem id" in response.content.decode()


@pytest.fixture
def course_without_activity(dashboard: Dashboard) -> Iterator[str]:
    """A course that only has an enrollment summary (nobody did anything yet)."""
    from edinsights.families.enrollment.models import CourseMetaSummaryEnrollment

    course = "course-v1:edX+Quiet+2024"
    summary_row(course, "audit", 2, change=2).save()
    try:
        yield course
    finally:
        CourseMetaSummaryEnrollment.objects.filter(course_id=course).delete()


@pytest.mark.parametrize("page", PAGES)
def test_pages_without_data_explain_what_is_missing(
    dashboard: Dashboard, course_without_activity: str, page: str
) -> None:
    staff = dashboard.client("staff")
    response = staff.get(f"/courses/{course_without_activity}/{page}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing to show yet" in html and "<canvas" not in html and "<table" not in html
    assert re.search(r'<div class="empty" role="status">\s*<h2>[^<]+</h2>\s*<p>\w[^<]{20,}</p>', html)
    assert rows(staff.get(f"/courses/{course_without_activity}/{page}?format=csv")) == []


def test_an_admin_grants_a_course_in_django_admin(dashboard: Dashboard) -> None:
    from django.contrib.auth import get_user_model

    from edinsights.api.models import CourseGrant

    users = get_user_model().objects
    admin, _ = users.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    learner_team = users.create_user("teaching-assistant")
    client = dashboard.client("admin")
    course = dashboard.courses[1]
    try:
        assert dashboard.client("teaching-assistant").get(f"/courses/{course}/").status_code == 404
        form = client.get("/admin/api/coursegrant/add/")
        assert form.status_code == 200 and "course_id" in form.content.decode()
        # A malformed key is refused with the reason; nothing is granted.
        add = "/admin/api/coursegrant/add/"
        refused = client.post(add, {"user": learner_team.pk, "course_id": "not a key"})
        assert "not a valid course key" in refused.content.decode()
        assert not CourseGrant.objects.filter(user=learner_team).exists()
        added = client.post(add, {"user": learner_team.pk, "course_id": course})
        assert added.status_code == 302
        assistant = dashboard.client("teaching-assistant")
        assert assistant.get(f"/courses/{course}/").status_code == 200
        assert assistant.get(f"/courses/{dashboard.courses[2]}/").status_code == 404
    finally:
        learner_team.delete()
        admin.delete()


def course_page_names() -> list[str]:
    """Every module's dashboard page that takes only the course (installed modules included)."""
    from edinsights.modules import modules, url_patterns

    return [
        pattern.name
        for module in modules()
        for pattern in url_patterns(module.dashboard_urls)
        if pattern.name and set(pattern.pattern.converters) == {"course_id"}
    ]


def test_every_modules_course_page_is_isolated_per_course(dashboard: Dashboard) -> None:
    """A page a module adds gets the same isolation as the built-in ones, without being listed."""
    from django.urls import reverse

    granted, *others = dashboard.courses
    client = dashboard.client("granted")
    names = course_page_names()
    assert {"videos", "learners", "problems"} <= set(names)
    for name in names:
        assert client.get(reverse(f"dashboard:{name}", args=[granted])).status_code == 200, name
        for course in others:
            url = reverse(f"dashboard:{name}", args=[course])
            for suffix in ("", "?format=csv"):
                assert client.get(url + suffix).status_code == 404, (name, suffix)
            assert dashboard.client("nobody").get(url).status_code == 404, name
