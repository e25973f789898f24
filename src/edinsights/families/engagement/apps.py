from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "edinsights.families.engagement"
    label = "engagement"
    verbose_name = "edinsights engagement results"
