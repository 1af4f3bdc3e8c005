"""Territory A's coordinator cannot list, open, change, delete, choose in a form, filter, autocomplete
or export territory B's objects, for every model registered in the admin.

The suite walks `admin.site._registry`: a model added later is covered as soon as it has a factory.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from portal.enums import Role
from portal.models import Membership, Territory
from portal.tenancy.models import TerritoryScopedModel
from tests.portal.factories import CommuneFactory
from tests.tenancy.registry import build, factories_by_model, scoped_admin_models, territory_id_of

MODELS = scoped_admin_models()


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def pair(territory_a, territory_b):
    def _pair(model):
        return build(model, territory_a), build(model, territory_b)

    return _pair


@pytest.fixture
def client_a(request, coordinator_a, login, staff_of, territory_a):
    """Territory A's coordinator; for a model only the manager reads (`view_roles` on its admin
    without the coordinator: the access log, the legal pages), territory A's manager."""
    model = getattr(getattr(request.node, "callspec", None), "params", {}).get("model")
    roles = getattr(admin.site._registry.get(model), "view_roles", None)
    if roles and Role.COORDINATOR not in roles:
        return login(staff_of(territory_a, roles[0]))
    return login(coordinator_a)


def test_every_scoped_admin_model_has_a_factory():
    missing = [m._meta.label for m in MODELS if m is not Territory and m not in factories_by_model()]
    assert not missing, f"Add a factory in tests/<app>/factories.py for: {missing}"


def test_the_walk_covers_the_shared_models():
    labels = {m._meta.label for m in MODELS}
    assert {"portal.Territory", "portal.Organisation", "portal.Membership"} <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_lists_only_own_territory(model, pair, client_a):
    obj_a, obj_b = pair(model)
    response = client_a.get(_url(model, "changelist"))
    assert response.status_code == 200
    listed = {obj.pk for obj in _listed(response)}
    assert obj_a.pk in listed
    assert obj_b.pk not in listed


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_object_pages_of_other_territory_answer_404(model, view, pair, client_a):
    obj_a, obj_b = pair(model)
    assert client_a.get(_url(model, view, obj_a.pk)).status_code in (200, 403)
    assert client_a.get(_url(model, view, obj_b.pk)).status_code == 404


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_posting_change_or_delete_on_other_territory_changes_nothing(model, pair, client_a):
    _obj_a, obj_b = pair(model)
    assert client_a.post(_url(model, "change", obj_b.pk), {}).status_code == 404
    assert client_a.post(_url(model, "delete", obj_b.pk), {"post": "yes"}).status_code == 404
    assert model._default_manager.filter(pk=obj_b.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_bulk_actions_ignore_other_territory_rows(model, pair, client_a):
    obj_a, obj_b = pair(model)
    changelist = _url(model, "changelist")
    response = client_a.post(
        changelist, {"action": "export_csv", ACTION_CHECKBOX_NAME: [obj_a.pk, obj_b.pk], "index": 0}
    )
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv"):
        lines = [line for line in b"".join(response.streaming_content).decode().splitlines() if line.strip()]
        assert len(lines) == 2, "the export must hold the header and territory A's row only"
    client_a.post(
        changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj_b.pk], "post": "yes", "index": 0}
    )
    assert model._default_manager.filter(pk=obj_b.pk).exists()


def _choice_fields(form):
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield name, field


def _leaks(queryset, territory_b):
    model = queryset.model
    if model is Territory:
        return queryset.filter(pk=territory_b.pk).exists()
    if issubclass(model, TerritoryScopedModel):
        return queryset.filter(territory=territory_b).exists()
    return False


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_form_choices_offer_nothing_from_other_territory(model, pair, client_a, territory_b):
    obj_a, _obj_b = pair(model)
    # Fill territory B with one row of every scoped model, so any unscoped choice would show it.
    for other in MODELS:
        if other is not Territory:
            build(other, territory_b)
    if model._meta.label == "installations.Case":
        # The case page's need cards offer owners and referents: give it a need, and B a referent.
        from portal.enums import Role
        from tests.installations.factories import NeedFactory
        from tests.portal.factories import MembershipFactory, OrganisationFactory

        NeedFactory(territory=obj_a.territory, case=obj_a)
        MembershipFactory(
            territory=territory_b, role=Role.PARTNER, organisation=OrganisationFactory(territory=territory_b)
        )
    pages = [_url(model, "change", obj_a.pk), _url(model, "add")]
    for page in pages:
        response = client_a.get(page)
        if response.status_code != 200:
            continue
        if "need_cards" in response.context_data:
            _case_page_choices_stay_home(response, territory_b)
            continue
        form = response.context_data["adminform"].form
        for name, field in _choice_fields(form):
            assert not _leaks(field.queryset, territory_b), f"{model._meta.label}.{name} offers B's rows"
        for formset in response.context_data.get("inline_admin_formsets", []):
            for name, field in _choice_fields(formset.formset.empty_form):
                assert not _leaks(field.queryset, territory_b), f"inline {formset.opts} field {name} offers B's rows"


def _case_page_choices_stay_home(response, territory_b):
    """The case page (installations.admin.case_page) writes plain forms whose choices come from its
    reads: none may name a row of territory B."""
    from installations.models import Aid, Opportunity

    context = response.context_data
    links = context["links_form"]
    if links is not None:
        assert not Aid.objects.filter(territory=territory_b, pk__in=[v for v, _ in links.fields["aids"].choices])
        opportunities = [v for v, _ in links.fields["opportunities"].choices]
        assert not Opportunity.objects.filter(territory=territory_b, pk__in=opportunities)
    b_only = set(Membership.objects.filter(territory=territory_b).values_list("user_id", flat=True)) - set(
        Membership.objects.exclude(territory=territory_b).values_list("user_id", flat=True)
    )
    b_memberships = set(Membership.objects.filter(territory=territory_b).values_list("pk", flat=True))
    assert context["need_cards"]
    for card in context["need_cards"]:
        if card.form is not None:
            assert not {v for v, _ in card.form.fields["owner"].choices if v} & b_only
        if card.refer_form is not None:
            assert not {v for v, _ in card.refer_form.fields["referent"].choices if v} & b_memberships


def _listed(response):
    """The rows of a change list page: Django's, or those of the coordinators' case list (a page of
    its own, installations.admin.case_list.CaseListMixin.changelist_view)."""
    context = response.context_data
    return context["cl"].result_list if "cl" in context else context["cases"]


def _case_list_choices_stay_home(response, territory_a):
    form = response.context_data["filterset"].form
    communes = {str(pk) for pk in territory_a.communes.values_list("pk", flat=True)}
    assert {value for value, _label in form.fields["commune"].choices if value} <= communes
    team = {str(pk) for pk in Membership.objects.filter(territory=territory_a).values_list("user_id", flat=True)}
    assert {value for value, _label in form.fields["assigned"].choices if value.isdigit()} <= team


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_list_filters_and_autocomplete_show_nothing_from_other_territory(
    model, pair, client_a, territory_a, territory_b, staff_of
):
    _obj_a, obj_b = pair(model)
    # Territory B has its own commune and coordinator, which no filter of A's lists may offer.
    territory_b.communes.add(CommuneFactory(name="Commune de Bêta"))
    staff_of(territory_b)
    response = client_a.get(_url(model, "changelist"))
    if "filterset" in response.context_data:
        _case_list_choices_stay_home(response, territory_a)
    for spec in response.context_data["cl"].filter_specs if "cl" in response.context_data else []:
        for choice in getattr(spec, "lookup_choices", []):
            value = choice[0] if isinstance(choice, tuple | list) else choice
            related = getattr(spec, "field", None)
            if related is not None and related.is_relation and value not in (None, ""):
                target = related.related_model._default_manager.filter(pk=value).first()
                if target is None:
                    continue
                if isinstance(target, Territory | TerritoryScopedModel):
                    assert territory_id_of(target) != territory_b.pk, f"filter {spec.title} shows B's row"
                else:  # a global model (a user): only values found in A's own rows
                    rows = model._default_manager.filter(**{related.name: target})
                    assert rows.filter(territory=territory_a).exists(), f"filter {spec.title} shows B's value"
    model_admin = admin.site._registry[model]
    for field_name in model_admin.get_autocomplete_fields(None):
        answer = client_a.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name},
        )
        if answer.status_code != 200:
            continue
        related_model = model._meta.get_field(field_name).related_model
        for result in answer.json()["results"]:
            target = related_model._default_manager.get(pk=result["id"])
            if related_model is Territory or issubclass(related_model, TerritoryScopedModel):
                assert territory_id_of(target) != territory_b.pk


def test_coordinator_of_two_territories_sees_both_and_nothing_else(staff_of, login, territory_a, territory_b):
    from tests.portal.factories import MembershipFactory, OrganisationFactory, TerritoryFactory

    third = TerritoryFactory(name="Territoire Gamma", slug="gamma")
    user = staff_of(territory_a)
    MembershipFactory(user=user, territory=territory_b)
    orgs = [OrganisationFactory(territory=t) for t in (territory_a, territory_b, third)]
    response = login(user).get(reverse("admin:portal_organisation_changelist"))
    listed = {obj.pk for obj in response.context_data["cl"].result_list}
    assert listed == {orgs[0].pk, orgs[1].pk}


def test_superuser_sees_every_territory(login, territory_a, territory_b):
    from tests.portal.factories import OrganisationFactory, UserFactory

    root = UserFactory(email="root@exemple.fr", is_staff=True, is_superuser=True)
    orgs = {OrganisationFactory(territory=t).pk for t in (territory_a, territory_b)}
    response = login(root).get(reverse("admin:portal_organisation_changelist"))
    assert {obj.pk for obj in response.context_data["cl"].result_list} == orgs


def test_elected_official_and_council_member_have_no_admin(staff_of, login, territory_a):
    from portal.enums import Role

    for role in (Role.ELECTED_OFFICIAL, Role.COUNCIL_MEMBER):
        client = login(staff_of(territory_a, role))
        response = client.get(reverse("admin:portal_organisation_changelist"))
        assert response.status_code in (302, 403)
