"""Find a planted marker string anywhere in the project's tables (every column, as PostgreSQL
writes the row as text) and in the stored files."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import reverse

PROJECT_APPS = {
    "portal",
    "notifications",
    "documents",
    "events",
    "privacy",
    "installations",
    "governance",
    "training",
    "prevention",
}


def tables_containing(marker: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in PROJECT_APPS:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            # The table name comes from the models, not from input.
            cursor.execute(f"SELECT count(*) FROM {table} AS t WHERE t::text LIKE %s", [f"%{marker}%"])  # noqa: S608
            if cursor.fetchone()[0]:
                found.append(model._meta.db_table)
    return found


def admin_export(client, model, queryset) -> str:
    """The text of the admin's CSV export ("Exporter la sélection en CSV") of these rows."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    pks = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    response = client.post(url, {"action": "export_csv", "_selected_action": pks})
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content).decode("utf-8-sig")


def files_containing(marker: bytes) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [str(path) for path in root.rglob("*") if path.is_file() and marker in path.read_bytes()]
