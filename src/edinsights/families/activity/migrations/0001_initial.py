"""The activity module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CourseActivity",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("interval_start", models.DateTimeField()),
                        ("interval_end", models.DateTimeField()),
                        ("label", models.CharField(max_length=255)),
                        ("count", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "course_activity",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("course_id", "interval_start", "label"), name="course_activity_key"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
