"""Finds, for every model, the factory that builds it, by walking the tests.<app>.factories modules.

New apps and models are covered by the isolation suite as soon as their factory exists; the
meta-test fails when a scoped model has none.
"""

import importlib
import pkgutil
from functools import cache

import factory
from django.contrib import admin

import tests
from portal.models import Territory
from portal.tenancy.models import TerritoryScopedModel


@cache
def factories_by_model():
    found = {}
    for module_info in pkgutil.walk_packages(tests.__path__, prefix="tests."):
        if not module_info.name.endswith(".factories"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                model = value._meta.model
                # Prefer the factory named after the model when several build it.
                if model not in found or value.__name__ == f"{model.__name__}Factory":
                    found[model] = value
    return found


def territory_id_of(obj):
    return obj.pk if isinstance(obj, Territory) else obj.territory_id


def scoped_admin_models():
    """Every admin-registered model that belongs to a territory (the Territory itself included)."""
    return sorted(
        (model for model in admin.site._registry if issubclass(model, TerritoryScopedModel) or model is Territory),
        key=lambda m: m._meta.label,
    )


def build(model, territory):
    if model is Territory:
        return territory
    return factories_by_model()[model](territory=territory)
