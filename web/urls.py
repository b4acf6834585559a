"""URL routes of the web app: `/` is the app, `/login` the sign-in page."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "web"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.app_page, name="app"),
    path("login", views.login_page, name="login"),
    # Only reached when no proxy sends /livekit/ (LIVEKIT_PUBLIC_URL's default) to LiveKit.
    path("livekit/<path:rest>", views.media_server_missing, name="media-server-missing"),
]
