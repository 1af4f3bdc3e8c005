from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.hooks import AppHooks, PeriodicTask


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    label = "documents"
    verbose_name = _("Documents")
    hooks = AppHooks(
        periodic_tasks=(
            # Builds a worker lost (marked interrupted) and requests whose publish failed (re-queued).
            # Every minute: a build whose worker died is failed within two (its 60 s lease, then this).
            PeriodicTask("documents-sweep", task="documents.sweep_documents", schedule=60.0),
        ),
    )
