"""URL routes shared by the whole API (health, ping, server info)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
