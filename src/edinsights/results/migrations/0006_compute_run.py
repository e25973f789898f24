from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0005_engagement_ranges_unbounded"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComputeRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("started", models.DateTimeField()),
                ("finished", models.DateTimeField(null=True)),
            ],
            options={
                "db_table": "edinsights_compute_run",
                "indexes": [models.Index(fields=["-started"], name="compute_run_latest")],
            },
        ),
    ]
