"""Celery routing of the documents app, merged into CELERY_TASK_ROUTES by config/settings/base.py.

PDF builds go to their own `reports` queue, served by a dedicated, recycled worker (see the
docstring of portal.documents.tasks for the command line); the sweep is quick and stays on the
default queue (its beat entry is declared on DocumentsConfig, see portal/hooks.py). Without a
`reports` worker, requested documents stay pending (nothing is lost): in a one-machine demo, run
`celery -A config worker -Q celery,reports`.
"""

TASK_ROUTES = {
    "documents.build_document": {"queue": "reports"},
}
