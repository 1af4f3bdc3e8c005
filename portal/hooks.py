"""The contract between portal and the apps it serves: what an app offers, declared in ONE place.

An app (an axis app, or a part of portal such as the notifications) sets `hooks` on its AppConfig:

    class GovernanceConfig(AppConfig):
        name = "governance"
        hooks = AppHooks(
            public_entry=PublicEntry(title=_("…"), text=_("…"), url_name="governance:dashboard"),
            annual_report_section="governance.selectors.annual_report_section",
            demo_data="governance.demo.build",
            document_member_check="governance.selectors.is_body_member",
            periodic_tasks=(PeriodicTask("governance-convocation-reminders",
                                         task="governance.send_convocation_reminders",
                                         schedule=crontab(hour=8, minute=0)),),
        )

Hooks are dotted paths (strings), so declaring one imports nothing of the app and portal never
imports an axis app. Readers go through `declared_hooks()`; `portal.checks` imports every path,
reverses every URL name and looks every periodic task up among the Celery tasks at start-up, so
a misspelt declaration fails `manage.py check` rather than a page or a night's reminders.

- `public_entry`: shown on each territory's home (portal.selectors.territory_entry_points). A
  `url_name` is reversed with the territory's slug; None while the app has no public page.
- `annual_report_section`: `f(*, territory, year) -> ReportSection | None` (portal.reporting).
- `demo_data`: `build(*, territories)` called by seed_demo (portal.demo).
- `document_member_check`: `f(*, user, territory, body_id) -> bool`, who belongs to a council
  body for its documents (portal.documents.permissions).
- `settled_people`: `f(*, territory, user_ids) -> dict[int, date | None]`, which of these people
  (user ids) settled on the territory, and when (portal.reporting.settled_people): how the
  training axis counts "trainees who later settled" without importing installations.
- `role_homes`: where a person holding a role in a territory lands after signing in
  (portal/homes.py): the coordinator on the dashboard, the elected official on the governance
  page… A person with several homes picks one.
- `periodic_tasks`: the app's celery beat entries; config/celery.py assembles the schedule from
  them (`beat_schedule()`). A task meant to run periodically says so where it is defined,
  `@shared_task(periodic=True)`, and a test fails when such a task is scheduled nowhere.
- `public_models`: the names of the app's territory-scoped models that anonymous public pages show
  (its `@public_page` views, and what they read): saving or deleting one of their rows makes its
  territory's cached public pages stale (portal/public_cache.py). The others (cases, access log,
  notifications…: what staff write all day) leave the cache alone.
- `retention`: the app's personal data kept for a limited time, one `RetentionRule` per kind. The
  duration is `settings.PERSONAL_DATA_RETENTION_DAYS[key]` (one source: the purge job and the
  territory's "données personnelles" page read it there); `purge` is
  `f(*, territory, before: datetime) -> int`, called by portal.privacy's daily job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class PublicEntry:
    title: Any  # lazy translated strings
    text: Any
    url_name: str | None = None


@dataclass(frozen=True)
class PeriodicTask:
    """One celery beat entry: `key` names it in the schedule, `task` is the registered task name."""

    key: str
    task: str
    schedule: Any  # seconds (float), or a celery.schedules.crontab
    options: dict[str, Any] = field(default_factory=dict)

    def beat_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"task": self.task, "schedule": self.schedule}
        if self.options:
            entry["options"] = dict(self.options)
        return entry


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data and what happens to it once kept `PERSONAL_DATA_RETENTION_DAYS[key]`
    days: `label` names the data, `outcome` says what the purge does (both shown on the data page)."""

    key: str
    label: Any  # lazy translated strings
    outcome: Any
    purge: str


@dataclass(frozen=True)
class RoleHome:
    """The page a person holding one of `roles` in a territory lands on after signing in. A page of
    the territory's site is reversed with its slug (`territory_in="slug"`); an admin page bare, the
    territory added as `?territory=<pk>` (`territory_in="query"`)."""

    roles: tuple[str, ...]
    url_name: str
    title: Any  # lazy translated string: what the page is, as the chooser lists it
    territory_in: str = "slug"


@dataclass(frozen=True)
class AppHooks:
    public_entry: PublicEntry | None = None
    annual_report_section: str | None = None
    demo_data: str | None = None
    document_member_check: str | None = None
    settled_people: str | None = None
    periodic_tasks: tuple[PeriodicTask, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    role_homes: tuple[RoleHome, ...] = ()
    public_models: tuple[str, ...] = ()

    def import_paths(self) -> dict[str, str]:
        """The declared dotted paths by hook name (what the system check imports)."""
        names = ("annual_report_section", "demo_data", "document_member_check", "settled_people")
        paths = {name: getattr(self, name) for name in names if getattr(self, name)}
        paths.update({f"retention[{rule.key}]": rule.purge for rule in self.retention})
        return paths


def hooks_of(config: AppConfig) -> AppHooks | None:
    return getattr(config, "hooks", None)


def declared_hooks() -> Iterator[tuple[AppConfig, AppHooks]]:
    """(app config, its hooks) for every installed app that declares some, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        hooks = hooks_of(config)
        if hooks is not None:
            yield config, hooks


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The celery beat schedule: every installed app's periodic tasks (needs the app registry)."""
    schedule: dict[str, dict[str, Any]] = {}
    for _config, hooks in declared_hooks():
        for periodic in hooks.periodic_tasks:
            # A key declared twice keeps its first entry; portal.checks reports it (portal.E005).
            schedule.setdefault(periodic.key, periodic.beat_entry())
    return schedule


def retention_rules() -> list[RetentionRule]:
    """Every installed app's retention rules, in INSTALLED_APPS order."""
    return [rule for _config, hooks in declared_hooks() for rule in hooks.retention]
