"""The apps' hooks (portal/hooks.py): declared in one place, checked at start-up, and the beat
schedule assembled from them."""

import dataclasses

import pytest
from celery.schedules import crontab
from django.apps import apps
from django.core import checks

from portal import checks as portal_checks
from portal.hooks import PeriodicTask, PublicEntry, beat_schedule, declared_hooks


@pytest.fixture
def redeclare(monkeypatch):
    """`redeclare("governance", field=value)` changes one app's declaration for this test only."""

    def _redeclare(label, **changes):
        config = apps.get_app_config(label)
        monkeypatch.setattr(config, "hooks", dataclasses.replace(config.hooks, **changes))

    return _redeclare


def _ids(errors):
    return [error.id for error in errors]


def test_the_project_passes_the_system_checks():
    errors = [message for message in checks.run_checks() if message.level >= checks.ERROR]
    assert errors == []


def test_every_axis_app_declares_its_hooks_on_its_app_config():
    labels = {config.label for config, _hooks in declared_hooks()}
    assert {"installations", "governance", "training", "prevention", "notifications", "documents"} <= labels


def test_a_misspelt_hook_path_is_an_error(redeclare):
    redeclare("governance", annual_report_section="governance.selectors.annual_report_sectoin")
    errors = portal_checks.check_app_hooks()
    assert _ids(errors) == ["portal.E002"]
    assert "annual_report_sectoin" in errors[0].msg


def test_a_hook_in_a_missing_module_is_an_error(redeclare):
    redeclare("installations", demo_data="installations.no_such_module.build")
    assert _ids(portal_checks.check_app_hooks()) == ["portal.E002"]


@pytest.mark.parametrize("name", ["Aide", "Territory"])
def test_a_public_model_that_is_not_a_scoped_model_of_the_app_is_an_error(redeclare, name):
    # "Aide" is no model; Territory is not installations' (nor territory-scoped).
    redeclare("installations", public_models=("Aid", name))
    errors = portal_checks.check_app_hooks()
    assert _ids(errors) == ["portal.E008"]
    assert repr(name) in errors[0].msg


def test_a_public_entry_url_name_that_does_not_reverse_is_an_error(redeclare):
    redeclare("installations", public_entry=PublicEntry(title="t", text="x", url_name="installations:strat"))
    errors = portal_checks.check_app_hooks()
    assert _ids(errors) == ["portal.E003"]
    assert "installations:strat" in errors[0].msg


def test_a_periodic_task_that_is_not_a_registered_task_is_an_error(redeclare):
    redeclare(
        "training",
        periodic_tasks=(PeriodicTask("training-nightly", task="training.tasks.nope", schedule=60.0),),
    )
    errors = portal_checks.check_app_hooks()
    assert _ids(errors) == ["portal.E004"]
    assert "training.tasks.nope" in errors[0].msg


def test_a_beat_entry_declared_by_two_apps_is_an_error(redeclare):
    redeclare(
        "prevention",
        periodic_tasks=(PeriodicTask("documents-sweep", task="documents.sweep_documents", schedule=60.0),),
    )
    assert _ids(portal_checks.check_app_hooks()) == ["portal.E005"]


def test_hooks_that_are_not_an_app_hooks_are_an_error(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("training"), "hooks", {"demo_data": "training.demo.build"})
    assert _ids(portal_checks.check_app_hooks()) == ["portal.E001"]


def test_manage_py_check_fails_on_a_broken_declaration(redeclare):
    redeclare("governance", document_member_check="governance.selectors.is_bodymember")
    assert "portal.E002" in _ids(checks.run_checks())


# --- the beat schedule ---------------------------------------------------------------------------


def test_the_celery_app_runs_the_schedule_assembled_from_the_declarations():
    from config.celery import app

    app.finalize()
    assert app.conf.beat_schedule == beat_schedule()


def test_every_task_meant_to_run_periodically_is_scheduled():
    """A task defined with `periodic=True` must be in some app's periodic tasks; walks every
    Celery task of the project (each app's tasks module imported)."""
    tasks = portal_checks.celery_tasks()
    periodic = {name for name, task in tasks.items() if getattr(task, "periodic", False)}
    scheduled = {entry["task"] for entry in beat_schedule().values()}
    assert periodic, "no task declares periodic=True: the walk found nothing"
    assert periodic - scheduled == set()
    # And nothing is scheduled that is not such a task (a scheduled task says so where it is defined).
    assert scheduled - periodic == set()


def test_a_periodic_task_scheduled_nowhere_fails_the_check(redeclare):
    redeclare("governance", periodic_tasks=())
    errors = portal_checks.check_periodic_tasks_scheduled()
    assert _ids(errors) == ["portal.E006"]
    assert "governance.send_convocation_reminders" in errors[0].msg


def test_convocation_reminders_run_every_morning_paris_time(settings):
    entries = [entry for entry in beat_schedule().values() if entry["task"] == "governance.send_convocation_reminders"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {8} and schedule.minute == {0}
    assert schedule.day_of_week == set(range(7))  # every day
    # crontab hours are read in CELERY_TIMEZONE.
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
