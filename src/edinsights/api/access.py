"""The one permission layer: which courses a user may read (API, dashboard and CSV downloads).

Superusers and staff read every course; other users read the courses granted to them
(`CourseGrant`, from `edinsights token create` / `edinsights grant` or Django admin). A course
a user may not read is answered exactly like a course without results: 404, never 403, so
that course ids cannot be probed.
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from edinsights.api.models import CourseGrant


def readable_courses(user) -> set[str] | None:  # type: ignore[no-untyped-def]
    """The course ids `user` may read; None: every course."""
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or user.is_staff:
        return None
    if hasattr(user, "_edinsights_courses"):  # set below, once per request
        return user._edinsights_courses
    granted = set(CourseGrant.objects.filter(user=user).values_list("course_id", flat=True))
    courses = None if None in granted else cast(set[str], granted)  # no NULL: only course ids
    user._edinsights_courses = courses  # one query per request
    return courses


def can_read(user, course_id: str) -> bool:  # type: ignore[no-untyped-def]
    courses = readable_courses(user)
    return courses is None or course_id in courses


def only_readable(user, queryset: QuerySet, field: str = "course_id") -> QuerySet:  # type: ignore[no-untyped-def]
    """`queryset` narrowed to the courses `user` may read."""
    courses = readable_courses(user)
    return queryset if courses is None else queryset.filter(**{f"{field}__in": sorted(courses)})
