from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from edinsights.web import sso, views

urlpatterns = [
    path("", include("edinsights.dashboard.urls")),
    path("store/", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Open edX single sign-on: POST /login/edx-oauth2/ starts it; /complete/edx-oauth2/ is the
    # redirect URI registered at the LMS, answered by sso.complete first so failures show a message.
    path("complete/<str:backend>/", sso.complete, name="sso-complete"),
    path("", include("social_django.urls", namespace="social")),
    path("api/v0/", include("edinsights.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# Over-limit requests (too many fields, a body too large) and other refused requests: a message,
# and 413 for a body too large, rather than Django's bare "Bad Request (400)".
handler400 = "edinsights.web.limits.bad_request"
