"""Find a planted marker string anywhere in the project's tables (every column, as PostgreSQL
writes the row as text) and in the stored files."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

PROJECT_APPS = {"portal", "notifications", "documents", "events", "privacy", "installations", "governance"}


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


def files_containing(marker: bytes) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [str(path) for path in root.rglob("*") if path.is_file() and marker in path.read_bytes()]
