"""Root URL configuration: each app mounts its own routes."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The split view serves Swagger UI's start-up script as a file, since the CSP allows no inline
# script; Swagger UI does inject its own <style>, so this one page allows inline styles.
_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", _docs, name="docs"),
    path("api/", include("core.urls")),
    path("api/", include("accounts.urls")),
    path("api/", include("rooms.urls")),
    path("api/", include("moderation.urls")),
    path("api/", include("chat.urls")),
    path("api/", include("soundboard.urls")),
    path("api/", include("music.urls")),
    path("api/", include("presence.urls")),
    path("", include("web.urls")),
]
