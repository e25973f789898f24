"""The problems module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnswerDistribution",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("module_id", models.CharField(max_length=255)),
                        ("part_id", models.CharField(max_length=255)),
                        ("correct", models.BooleanField(null=True)),
                        ("count", models.IntegerField()),
                        ("first_response_count", models.IntegerField()),
                        ("last_response_count", models.IntegerField()),
                        ("value_id", models.TextField(null=True)),
                        ("answer_value", models.TextField(null=True)),
                        ("variant", models.CharField(max_length=255, null=True)),
                        ("problem_display_name", models.TextField(null=True)),
                        ("question_text", models.TextField(null=True)),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "answer_distribution",
                        "indexes": [
                            models.Index(
                                fields=["course_id", "module_id"], name="answer_distribution_problem"
                            ),
                            models.Index(fields=["module_id"], name="answer_distribution_module"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ProblemSummary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("module_id", models.CharField(max_length=255)),
                        ("problem_display_name", models.TextField(null=True)),
                        ("total_submissions", models.IntegerField()),
                        ("correct_submissions", models.IntegerField()),
                        ("users", models.IntegerField()),
                        ("users_correct", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "edinsights_problem_summary",
                        "indexes": [
                            models.Index(fields=["course_id", "module_id"], name="problem_summary_problem")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TagsDistribution",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("course_id", models.CharField(max_length=255)),
                        ("module_id", models.CharField(max_length=255)),
                        ("tag_name", models.CharField(max_length=255)),
                        ("tag_value", models.CharField(max_length=255)),
                        ("total_submissions", models.IntegerField()),
                        ("correct_submissions", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "tags_distribution",
                        "indexes": [
                            models.Index(fields=["course_id", "module_id"], name="tags_distribution_problem")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
