"""The totals module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EventTotalsDaily",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255, null=True)),
                        ("date", models.DateField()),
                        ("events", models.BigIntegerField()),
                        ("active_learners", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "edinsights_event_totals_daily",
                        "indexes": [
                            models.Index(fields=["course_id", "date"], name="event_totals_course_date")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
