"""Every model of the project's apps that holds personal or territory data is scoped to a territory,
or declared global on purpose (portal.tenancy.models.GLOBAL_MODELS) with its reason."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from portal.tenancy.models import GLOBAL_MODELS, TerritoryQuerySet, TerritoryScopedModel


def _is_project_app(config) -> bool:
    # The project's own apps are those whose code lives in the repository (not in the virtualenv):
    # an app added later (portal.events, training…) is checked without anyone listing it here.
    path = Path(config.path).resolve()
    return path.is_relative_to(settings.BASE_DIR) and ".venv" not in path.relative_to(settings.BASE_DIR).parts


PROJECT_APPS = {config.label for config in apps.get_app_configs() if _is_project_app(config)}


def project_models():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and not model._meta.auto_created:
            yield model


def test_the_walk_finds_every_app_of_the_project():
    assert {"portal", "notifications", "documents", "events", "installations", "governance"} <= PROJECT_APPS
    assert not PROJECT_APPS & {"admin", "auth", "account", "mfa", "sessions"}


MODELS = sorted(project_models(), key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_model_is_scoped_or_declared_global(model):
    if model._meta.label_lower in GLOBAL_MODELS:
        assert GLOBAL_MODELS[model._meta.label_lower].strip(), "say why the model is global"
        return
    assert issubclass(model, TerritoryScopedModel), (
        f"{model._meta.label} has no territory: inherit TerritoryScopedModel, or add it to "
        "portal.tenancy.models.GLOBAL_MODELS with the reason it is global"
    )
    field = model._meta.get_field("territory")
    assert not field.null and field.db_index
    assert isinstance(model._default_manager.all(), TerritoryQuerySet), "scoped models keep the scoped manager"


@pytest.mark.parametrize(
    "model", [m for m in MODELS if issubclass(m, TerritoryScopedModel)], ids=lambda m: m._meta.label
)
def test_uniqueness_of_scoped_models_includes_the_territory(model):
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            assert "territory" in constraint.fields, f"{constraint.name} must include the territory"
    for fields in model._meta.unique_together:
        assert "territory" in fields
    for field in model._meta.concrete_fields:
        # A random token or a per-row one-to-one link is globally unique by nature.
        if field.unique and not field.primary_key and not field.one_to_one:
            assert "token" in field.name or isinstance(field, models.UUIDField), (
                f"{model._meta.label}.{field.name} is unique across territories"
            )


def test_declared_global_models_exist():
    labels = {m._meta.label_lower for m in MODELS}
    assert set(GLOBAL_MODELS) <= labels


def test_no_territory_means_no_rows(territory_a):
    from portal.models import Organisation
    from tests.portal.factories import OrganisationFactory

    OrganisationFactory(territory=territory_a)
    assert Organisation.objects.for_territory(None).count() == 0
    assert Organisation.objects.for_territory(territory_a).count() == 1
