"""The result tables now belong to their modules' apps (edinsights.families.*): state only, the
tables stay where they are, under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0006_compute_run"),
        ("enrollment", "0001_initial"),
        ("activity", "0001_initial"),
        ("totals", "0001_initial"),
        ("video", "0001_initial"),
        ("problems", "0001_initial"),
        ("engagement", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="AnswerDistribution",
                ),
                migrations.DeleteModel(
                    name="CourseActivity",
                ),
                migrations.DeleteModel(
                    name="CourseEnrollmentDaily",
                ),
                migrations.DeleteModel(
                    name="CourseEnrollmentModeDaily",
                ),
                migrations.DeleteModel(
                    name="CourseMetaSummaryEnrollment",
                ),
                migrations.DeleteModel(
                    name="EventTotalsDaily",
                ),
                migrations.DeleteModel(
                    name="ModuleEngagement",
                ),
                migrations.DeleteModel(
                    name="ModuleEngagementMetricRanges",
                ),
                migrations.DeleteModel(
                    name="ProblemSummary",
                ),
                migrations.DeleteModel(
                    name="TagsDistribution",
                ),
                migrations.DeleteModel(
                    name="Video",
                ),
                migrations.DeleteModel(
                    name="VideoTimeline",
                ),
            ],
            database_operations=[],
        ),
    ]
