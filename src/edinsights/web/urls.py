from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

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
    # Templates of our own and the split Swagger view: the API docs run under the same
    # Content-Security-Policy as every page (no inline script, nothing from a CDN).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="web/swagger_ui.html"),
        name="api-docs",
    ),
    # Redoc writes its styles into <style> elements at run time (styled-components) and runs
    # its search in a worker made from a blob: this one page allows both (never inline script).
    # Its "powered by" logo from cdn.redoc.ly stays blocked, as everything third-party.
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="web/redoc.html")
        ),
        name="api-redoc",
    ),
]

# Over-limit requests (too many fields, a body too large) and other refused requests: a message,
# and 413 for a body too large, rather than Django's bare "Bad Request (400)".
handler400 = "edinsights.web.limits.bad_request"
