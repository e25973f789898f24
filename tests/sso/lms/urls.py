"""The LMS's OAuth2 paths, as edx-auth-backends calls them (no trailing slash), and a sign-in page."""

from django.contrib.auth import views as auth_views
from django.urls import path
from oauth2_provider import views as oauth2_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("oauth2/authorize", oauth2_views.AuthorizationView.as_view(), name="authorize"),
    path("oauth2/access_token", oauth2_views.TokenView.as_view(), name="token"),
]
