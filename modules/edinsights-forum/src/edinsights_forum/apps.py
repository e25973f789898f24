from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "edinsights_forum"
    label = "edinsights_forum"
    verbose_name = "Discussion activity"
    default_auto_field = "django.db.models.BigAutoField"
