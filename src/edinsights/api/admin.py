"""Django admin for course grants (who may read which course: API, dashboard and CSV alike) and
API tokens (listed by user and the key's first characters: the key itself is not stored)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from edinsights.api.models import CourseGrant


class CourseGrantForm(forms.ModelForm):
    class Meta:
        model = CourseGrant
        fields = ("user", "course_id")
        help_texts = {"course_id": "A course key (course-v1:Org+Course+Run); empty: every course."}

    def clean_course_id(self) -> str | None:
        """The canonical key, as the result tables store it; empty means every course."""
        raw = (self.cleaned_data.get("course_id") or "").strip()
        if not raw:
            return None
        try:
            return str(CourseKey.from_string(raw))
        except InvalidKeyError:
            raise forms.ValidationError(f"not a valid course key: {raw}") from None


@admin.register(CourseGrant)
class CourseGrantAdmin(admin.ModelAdmin):
    form = CourseGrantForm
    list_display = ("user", "course_or_every", "created")
    list_filter = ("created",)
    search_fields = ("user__username", "course_id")
    autocomplete_fields = ("user",)
    ordering = ("user__username", "course_id")

    @admin.display(description="course", ordering="course_id")
    def course_or_every(self, grant: CourseGrant) -> str:
        return grant.course_id or "every course"


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class TokenAdmin(AuthTokenAdmin):
    """knox's admin, listing a token by its key's prefix (what `edinsights token list` shows)."""

    list_display = ("token_key", "user", "created", "expiry")
    list_display_links = ("token_key",)
    ordering = ("user__username", "created")
