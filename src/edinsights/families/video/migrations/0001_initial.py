"""The video module's result tables, moved from the `results` app: only Django's state changes;
the tables (names unchanged) were created by the results app's migrations 0001–0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("results", "0006_compute_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Video",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("pipeline_video_id", models.CharField(max_length=255, unique=True)),
                        ("course_id", models.CharField(max_length=255)),
                        ("encoded_module_id", models.CharField(max_length=255)),
                        ("duration", models.IntegerField()),
                        ("segment_length", models.IntegerField()),
                        ("users_at_start", models.IntegerField()),
                        ("users_at_end", models.IntegerField()),
                        ("total_viewed_seconds", models.BigIntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "video",
                        "indexes": [models.Index(fields=["course_id"], name="video_course")],
                    },
                ),
                migrations.CreateModel(
                    name="VideoTimeline",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("pipeline_video_id", models.CharField(max_length=255)),
                        ("segment", models.IntegerField()),
                        ("num_users", models.IntegerField()),
                        ("num_views", models.IntegerField()),
                        ("created", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "video_timeline",
                        "indexes": [
                            models.Index(fields=["pipeline_video_id", "segment"], name="video_timeline_video")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
