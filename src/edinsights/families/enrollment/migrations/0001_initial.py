"""The enrollment module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CourseEnrollmentDaily",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("date", models.DateField()),
                        ("count", models.IntegerField()),
                        ("cumulative_count", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "course_enrollment_daily",
                        "constraints": [
                            models.UniqueConstraint(fields=("course_id", "date"), name="enrollment_daily_key")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CourseEnrollmentModeDaily",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("date", models.DateField()),
                        ("mode", models.CharField(max_length=255)),
                        ("count", models.IntegerField()),
                        ("cumulative_count", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "course_enrollment_mode_daily",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("course_id", "date", "mode"), name="enrollment_mode_daily_key"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CourseMetaSummaryEnrollment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("catalog_course_title", models.CharField(max_length=255, null=True)),
                        ("catalog_course", models.CharField(max_length=255, null=True)),
                        ("start_time", models.DateTimeField(null=True)),
                        ("end_time", models.DateTimeField(null=True)),
                        ("pacing_type", models.CharField(max_length=255, null=True)),
                        ("availability", models.CharField(max_length=255, null=True)),
                        ("enrollment_mode", models.CharField(max_length=255)),
                        ("count", models.IntegerField()),
                        ("cumulative_count", models.IntegerField()),
                        ("count_change_7_days", models.IntegerField()),
                        ("passing_users", models.IntegerField(null=True)),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "course_meta_summary_enrollment",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("course_id", "enrollment_mode"), name="course_summary_key"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
