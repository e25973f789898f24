"""The structure module's result tables: course_structure (the outline) and course_grading_policy."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CourseBlock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("course_id", models.CharField(max_length=255)),
                ("block_id", models.CharField(max_length=255)),
                ("block_name", models.CharField(max_length=255)),
                ("block_type", models.CharField(max_length=64)),
                ("display_name", models.TextField()),
                ("parent_block_id", models.CharField(max_length=255, null=True)),
                ("sort_idx", models.IntegerField()),
                ("is_root", models.BooleanField()),
                ("is_orphan", models.BooleanField()),
                ("is_dag", models.BooleanField()),
                ("course_path", models.TextField()),
                ("graded", models.BooleanField()),
                ("format", models.CharField(max_length=255, null=True)),
                ("due", models.DateTimeField(null=True)),
                ("start", models.DateTimeField(null=True)),
                ("created", models.DateTimeField()),
            ],
            options={
                "db_table": "course_structure",
                "indexes": [models.Index(fields=["course_id", "sort_idx"], name="course_structure_course")],
            },
        ),
        migrations.CreateModel(
            name="GradingPolicyEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("course_id", models.CharField(max_length=255)),
                ("assignment_type", models.CharField(max_length=255)),
                ("weight", models.FloatField()),
                ("drop_count", models.IntegerField()),
                ("min_count", models.IntegerField()),
                ("created", models.DateTimeField()),
            ],
            options={
                "db_table": "course_grading_policy",
                "indexes": [models.Index(fields=["course_id"], name="course_grading_policy_course")],
            },
        ),
    ]
