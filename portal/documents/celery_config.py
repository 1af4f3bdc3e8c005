"""Celery settings of the documents app, for the lead to merge into config/settings/base.py.

    from portal.documents.celery_config import BEAT_SCHEDULE, TASK_ROUTES
    CELERY_TASK_ROUTES = {**TASK_ROUTES}
    CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE}

PDF builds go to their own `reports` queue, served by a dedicated, recycled worker (see the
docstring of portal.documents.tasks for the command line); the sweep is quick and stays on the
default queue. Without a `reports` worker, requested documents stay pending (nothing is lost):
in a one-machine demo, run `celery -A config worker -Q celery,reports`.
"""

TASK_ROUTES = {
    "documents.build_document": {"queue": "reports"},
}

BEAT_SCHEDULE = {
    "documents-sweep": {
        "task": "documents.sweep_documents",
        "schedule": 300.0,  # seconds
    },
}
