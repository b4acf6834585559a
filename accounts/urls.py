"""URL routes of the accounts app (no trailing slash; core's middleware accepts one)."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/register", api.AuthRegisterApi.as_view(), name="auth-register"),
    path("auth/login", api.AuthLoginApi.as_view(), name="auth-login"),
    path("auth/me", api.AuthMeApi.as_view(), name="auth-me"),
    path("auth/logout-all", api.AuthLogoutAllApi.as_view(), name="auth-logout-all"),
    path("csrf", api.CsrfApi.as_view(), name="csrf"),
    path("session/login", api.SessionLoginApi.as_view(), name="session-login"),
    path("session/register", api.SessionRegisterApi.as_view(), name="session-register"),
    path("session/logout", api.SessionLogoutApi.as_view(), name="session-logout"),
]
