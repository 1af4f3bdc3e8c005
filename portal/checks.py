"""System checks of the apps' declared hooks (portal/hooks.py), run by `manage.py check`, at
start-up of runserver/migrate and in the test suite.

A hook is a dotted path or a URL name: a typo would only show when the page, the report, the
demo or the night's task reaches it. These checks resolve every declaration at once instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.core.checks import Error
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from portal.hooks import AppHooks, hooks_of

# A dummy slug: entries under a territory's site are reversed as the home page does.
DUMMY_TERRITORY_SLUG = "territoire"


def _reverses(url_name: str) -> bool:
    for kwargs in ({"territory_slug": DUMMY_TERRITORY_SLUG}, {}):
        try:
            reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        return True
    return False


def celery_tasks() -> dict[str, Any]:
    """Every Celery task of the project by registered name. A web process registers a task only
    when its module is imported (Celery autodiscovers in workers), so import every app's `tasks`."""
    from celery import current_app
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    # The project's app (config/celery.py) is the current one.
    return dict(current_app.tasks)


def check_app_hooks(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[Error]:
    from django.apps import apps

    configs = app_configs if app_configs is not None else apps.get_app_configs()
    errors: list[Error] = []
    seen_keys: dict[str, str] = {}
    tasks = None
    for config in configs:
        hooks = hooks_of(config)
        if hooks is None:
            continue
        if not isinstance(hooks, AppHooks):
            errors.append(
                Error(
                    f"{config.__class__.__name__}.hooks must be a portal.hooks.AppHooks, not {type(hooks).__name__}.",
                    obj=config.__class__,
                    id="portal.E001",
                )
            )
            continue
        for hook, path in hooks.import_paths().items():
            try:
                import_string(path)
            except ImportError as exc:
                errors.append(
                    Error(
                        f"Hook {hook}={path!r} of app {config.label!r} cannot be imported: {exc}",
                        hint="Fix the dotted path on the app's AppConfig.hooks.",
                        obj=config.__class__,
                        id="portal.E002",
                    )
                )
        entry = hooks.public_entry
        if entry is not None and entry.url_name and not _reverses(entry.url_name):
            errors.append(
                Error(
                    f"Public entry URL name {entry.url_name!r} of app {config.label!r} does not reverse.",
                    hint="Use 'namespace:name' of a URL pattern, under the territory's site or not.",
                    obj=config.__class__,
                    id="portal.E003",
                )
            )
        for home in hooks.role_homes:
            if not _reverses(home.url_name) or home.territory_in not in ("slug", "query"):
                errors.append(
                    Error(
                        f"Role home {home.url_name!r} ({home.territory_in}) of app {config.label!r} does not reverse.",
                        hint="Use 'namespace:name' of a URL pattern, and territory_in='slug' or 'query'.",
                        obj=config.__class__,
                        id="portal.E007",
                    )
                )
        for periodic in hooks.periodic_tasks:
            if tasks is None:
                tasks = celery_tasks()
            if periodic.task not in tasks:
                errors.append(
                    Error(
                        f"Periodic task {periodic.key!r} of app {config.label!r} names {periodic.task!r}, "
                        "which is no registered Celery task.",
                        hint="Use the task's registered name (its `name=`, or module path + function name).",
                        obj=config.__class__,
                        id="portal.E004",
                    )
                )
            if periodic.key in seen_keys:
                errors.append(
                    Error(
                        f"Beat entry {periodic.key!r} is declared by {seen_keys[periodic.key]!r} and {config.label!r}.",
                        obj=config.__class__,
                        id="portal.E005",
                    )
                )
            seen_keys.setdefault(periodic.key, config.label)
        errors.extend(_retention_errors(config, hooks))
        errors.extend(_public_model_errors(config, hooks))
    return errors


def _public_model_errors(config: AppConfig, hooks: AppHooks) -> list[Error]:
    """A misspelt public model would leave its pages stale until they expire."""
    from portal.tenancy.models import TerritoryScopedModel

    errors = []
    for name in hooks.public_models:
        try:
            model = config.get_model(name)
        except LookupError:
            model = None
        if model is None or not issubclass(model, TerritoryScopedModel):
            errors.append(
                Error(
                    f"Public model {name!r} of app {config.label!r} is no territory-scoped model of the app.",
                    hint="Name a model of this app (its class name) that inherits TerritoryScopedModel.",
                    obj=config.__class__,
                    id="portal.E008",
                )
            )
    return errors


def _retention_errors(config: AppConfig, hooks: AppHooks) -> list[Error]:
    """A retention rule without its duration in the settings would keep the data for ever."""
    from django.conf import settings

    durations = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", {})
    return [
        Error(
            f"Retention rule {rule.key!r} of app {config.label!r} has no duration in "
            "settings.PERSONAL_DATA_RETENTION_DAYS.",
            hint="Add the key with its number of days (and say it in the README's retention table).",
            obj=config.__class__,
            id="portal.E007",
        )
        for rule in hooks.retention
        if not isinstance(durations.get(rule.key), int) or durations[rule.key] <= 0
    ]


def check_periodic_tasks_scheduled(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[Error]:
    """Every task defined with `periodic=True` is in some app's periodic tasks (portal.E006)."""
    if app_configs is not None:  # `check <app>`: the schedule is a property of the whole project
        return []
    from portal.hooks import beat_schedule

    scheduled = {entry["task"] for entry in beat_schedule().values()}
    return [
        Error(
            f"Celery task {name!r} is meant to run periodically (periodic=True) but no app schedules it.",
            hint="Declare a PeriodicTask for it in its app's AppConfig.hooks.",
            id="portal.E006",
        )
        for name, task in sorted(celery_tasks().items())
        if getattr(task, "periodic", False) and name not in scheduled
    ]
