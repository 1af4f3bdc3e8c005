"""Defect 6 of issue 10: a NUL byte in a search term is no 500 (PostgreSQL refuses NUL in text).

Walks every admin change list that has a search box, every admin autocomplete (the search of the
model a foreign key points at), the coordinators' case list and the public searches.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.portal.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL_TERMS = ["\x00", "abc\x00def", "%00"]


def _searchable_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items() if model_admin.search_fields]


def _autocomplete_sources():
    """(app_label, model_name, field_name) of every foreign key whose target has a searchable admin."""
    sources = []
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if isinstance(field, (models.ForeignKey, models.ManyToManyField)) and field.concrete:
                target_admin = admin.site._registry.get(field.related_model)
                if target_admin is not None and target_admin.search_fields:
                    sources.append((model._meta.app_label, model._meta.model_name, field.name))
    return sources


@pytest.fixture
def root(login):
    return login(UserFactory(email="root@exemple.fr", is_staff=True, is_superuser=True))


@pytest.fixture
def coordinator(coordinator_a, login):
    return login(coordinator_a)


@pytest.mark.parametrize(
    "model", [model for model, _admin in _searchable_admins()], ids=lambda model: model._meta.label_lower
)
def test_admin_search_with_a_nul_byte_answers(model, root, coordinator, territory_a):
    OrganisationFactory(territory=territory_a, name="abcdef")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for client in (root, coordinator):
        for term in NUL_TERMS:
            response = client.get(url, {"q": term})
            assert response.status_code in (200, 302, 403), (url, term, response.status_code)


@pytest.mark.parametrize("source", _autocomplete_sources(), ids="-".join)
def test_admin_autocomplete_with_a_nul_byte_answers(source, root, coordinator, territory_a):
    app_label, model_name, field_name = source
    for client in (root, coordinator):
        for term in NUL_TERMS:
            response = client.get(
                reverse("admin:autocomplete"),
                {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
            )
            assert response.status_code in (200, 403), (source, term, response.status_code)


def test_the_nul_byte_is_dropped_and_the_rest_of_the_term_still_searches(root, territory_a):
    OrganisationFactory(territory=territory_a, name="Maison de santé abcdef")

    response = root.get(
        reverse("admin:autocomplete"),
        {"app_label": "portal", "model_name": "membership", "field_name": "organisation", "term": "abc\x00def"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Maison de santé abcdef"]


def test_the_case_list_search_with_a_nul_byte_answers(coordinator):
    for term in NUL_TERMS:
        response = coordinator.get(reverse("admin:installations_case_changelist"), {"q": term})
        assert response.status_code == 200, term
        assert coordinator.get(reverse("admin:installations_case_export"), {"q": term}).status_code == 200


def test_public_searches_with_a_nul_byte_answer(client, territory_a):
    for name in ("installations:aids", "installations:opportunity_list"):
        url = reverse(name, kwargs={"territory_slug": territory_a.slug})
        for term in NUL_TERMS:
            assert client.get(url, {"q": term, "commune": term, "profession": term}).status_code == 200, (name, term)
