"""Root URL configuration: each app mounts its own routes."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("core.urls")),
    path("api/", include("accounts.urls")),
    path("api/", include("rooms.urls")),
    path("api/", include("moderation.urls")),
    path("api/", include("presence.urls")),
    path("", include("web.urls")),
]
