import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _beat_schedule_from_the_apps(sender, **kwargs):
    """The beat schedule is assembled from the periodic tasks each app declares on its AppConfig
    (portal/hooks.py), so that an app has ONE place for its hooks. It cannot be built in settings:
    they load before the app registry. Finalisation comes after it in every process (the app
    finalises when its tasks are first used, and task autodiscovery already needs the registry;
    `celery beat` sets Django up in `init_loader`, then finalises, then reads the schedule)."""
    from portal.hooks import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
