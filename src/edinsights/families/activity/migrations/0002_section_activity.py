"""The activity module's per-section table: learners who viewed or tried something in each section."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionActivity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("course_id", models.CharField(max_length=255)),
                ("section_block_id", models.CharField(max_length=255, null=True)),
                ("learners", models.IntegerField()),
                ("viewed", models.IntegerField()),
                ("attempted_problem", models.IntegerField()),
                ("created", models.DateTimeField()),
            ],
            options={
                "db_table": "edinsights_section_activity",
                "indexes": [models.Index(fields=["course_id"], name="section_activity_course")],
            },
        ),
    ]
