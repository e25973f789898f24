from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "edinsights.families.video"
    label = "video"
    verbose_name = "edinsights video results"
