"""Every governance change list answers in a bounded number of queries, whatever its length."""

import pytest
from django.contrib import admin

from tests.tenancy.registry import factories_by_model

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "governance"), key=lambda m: m.__name__
)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_list_queries_do_not_grow_with_rows(
    model, territory_a, coordinator_a, login, django_assert_max_num_queries
):
    factory = factories_by_model()[model]
    for _ in range(25):
        factory(territory=territory_a)
    client = login(coordinator_a)
    url = f"/admin/governance/{model._meta.model_name}/"
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 25
