"""The problems module's vocabulary, written once: its SQL (rendered in, edinsights.metrics.literals),
its pages and the simulator (edinsights.demo) read these names.

No Django imports beyond lazy translations: the module's declaration imports this while
Django's settings load.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The `success` of a graded `problem_check` as the LMS logs it: the metrics count CORRECT ones
# (problem attempts compare it in any case), the simulator logs both. CORRECT is the core's
# (its shared problem-attempts SQL compares with it too), re-exported here as the module's word.
from edinsights.metrics.snippets import CORRECT as CORRECT

INCORRECT = "incorrect"

GRADINGS = {
    frozenset({True}): _("Yes"),
    frozenset({False}): _("No"),
    frozenset({True, False}): _("Yes and no"),
}
"""How an answer was graded, over the result rows that read as one answer (`correct` of each;
unknown ones left out) → the answer page's "Correct" cell; none known: no entry ("–")."""
