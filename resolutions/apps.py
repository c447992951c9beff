from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ResolutionsConfig(AppConfig):
    default = True
    name = "resolutions"
    verbose_name = "Resolutions and implementation"

    def ready(self):
        from resolutions import cache, counters, logs
        from resolutions.search import ensure_index_after_migrate
        from resolutions.statistics import refresh_after_migrate

        cache.connect_signals()
        counters.connect_signals()
        logs.connect_signals()
        # Once per migrate run (sent for this app only): triggers that a later SQLite migration dropped
        # by copying a table come back (and the index is rebuilt), then planner statistics are refreshed.
        post_migrate.connect(ensure_index_after_migrate, sender=self, dispatch_uid="ensure_search_index")
        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="refresh_statistics")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the tracker's site (resolutions/admin_site.py), which refuses tampered POSTs."""

    default = False
    default_site = "resolutions.admin_site.TrackerAdminSite"
