"""Indexes on the course summaries' catalog columns, as the original's table has: the Courses list
and `course_summaries/` filter on availability and pacing and sort on the title."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="coursemetasummaryenrollment",
            index=models.Index(fields=["catalog_course_title"], name="course_summary_title"),
        ),
        migrations.AddIndex(
            model_name="coursemetasummaryenrollment",
            index=models.Index(fields=["catalog_course"], name="course_summary_catalog"),
        ),
        migrations.AddIndex(
            model_name="coursemetasummaryenrollment",
            index=models.Index(fields=["pacing_type"], name="course_summary_pacing"),
        ),
        migrations.AddIndex(
            model_name="coursemetasummaryenrollment",
            index=models.Index(fields=["availability"], name="course_summary_availability"),
        ),
    ]
