from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        # Every logout (the API's, the admin's) goes through Django's logout(); its signal is
        # the one place that sees them all, so live streams of the ended session close too.
        user_logged_out.connect(_logged_out, dispatch_uid="accounts.logged_out")


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from realtime.publish import credentials_changed

    if user is not None and user.pk is not None:
        credentials_changed(user_id=user.pk)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with accounts.admin_site.AdminSite as `admin.site`."""

    # Not the accounts app's own config: INSTALLED_APPS names this one explicitly.
    default = False
    default_site = "accounts.admin_site.AdminSite"
