"""The problems module's problem page: a problem's answer distribution, by the problem's id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from edinsights.api.access import only_readable
from edinsights.dashboard.views import bad_request, course_page
from edinsights.families.problems import pages
from edinsights.families.problems.models import AnswerDistribution, ProblemSummary


@login_required
def problem(request: HttpRequest, course_id: str, module_id: str) -> HttpResponse:
    """A problem's answer distribution, by its usage key in canonical form.

    An id that is no usage key is still a problem's when the events named it so (they come from
    the LMS and may hold anything): it is looked up as it is, and a 400 only when nothing has it.
    """
    try:
        module = str(UsageKey.from_string(module_id))
    except InvalidKeyError:
        if not problem_exists(module_id, request.user):
            return bad_request(request, _("Not a valid problem id: %(id)s") % {"id": module_id})
        module = module_id
    return _answer_distribution(request, course_id=course_id, module_id=module)


_answer_distribution = course_page(pages.answer_distribution)


def problem_exists(module_id: str, user: Any) -> bool:
    """Whether a problem of this exact id has results in a course `user` reads (an id from events
    need not be a usage key; other courses' problems must not tell a 400 from a 404)."""
    return any(
        only_readable(user, model.objects.filter(module_id=module_id)).exists()
        for model in (ProblemSummary, AnswerDistribution)
    )
