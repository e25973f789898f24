"""The engagement module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ModuleEngagement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("username", models.CharField(max_length=255)),
                        ("date", models.DateField()),
                        ("entity_type", models.CharField(max_length=20)),
                        ("entity_id", models.CharField(max_length=255)),
                        ("event", models.CharField(max_length=20)),
                        ("count", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "module_engagement",
                        "indexes": [
                            models.Index(fields=["course_id", "date"], name="module_engagement_course_date")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ModuleEngagementMetricRanges",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("start_date", models.DateField()),
                        ("end_date", models.DateField()),
                        ("metric", models.CharField(max_length=50)),
                        ("range_type", models.CharField(max_length=10)),
                        ("low_value", models.FloatField(null=True)),
                        ("high_value", models.FloatField(null=True)),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "module_engagement_metric_ranges",
                        "indexes": [models.Index(fields=["course_id"], name="engagement_ranges_course")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
