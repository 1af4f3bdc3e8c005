"""Good practices that spread: the sheet, a replication in another commune, what spread from where,
and the opt-in sharing with other territories — the one crossing of the tenant wall."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from prevention.models import Initiative
from prevention.services.good_practices import good_practice_mark, replication_start, sharing_set
from tests.events.factories import RegistrationFactory
from tests.portal.factories import CommuneFactory, OrganisationFactory
from tests.prevention.factories import (
    AgendaDetailsFactory,
    AmbassadorFactory,
    FundingFactory,
    HealthStudentFactory,
    InitiativeDocumentFactory,
    InitiativeFactory,
    InterventionSiteFactory,
    PreventionSettingsFactory,
    ReplicationSheetFactory,
    StudentTeamFactory,
)

pytestmark = pytest.mark.django_db


def _url(name, territory, **kwargs):
    return reverse(f"prevention:{name}", kwargs={"territory_slug": territory.slug, **kwargs})


def test_good_practice_mark_writes_the_sheet_and_refuses_an_empty_one(territory_a, coordinator_a):
    initiative = InitiativeFactory(territory=territory_a)
    with pytest.raises(ValidationError):
        good_practice_mark(actor=coordinator_a, initiative=initiative, why_it_works=" ", key_steps="")
    good_practice_mark(actor=coordinator_a, initiative=initiative, why_it_works="Proche", key_steps="1, 2, 3")
    assert Initiative.objects.good_practices().get() == initiative


def test_another_commune_starts_a_replication_linked_to_the_original(territory_a, communes_a, coordinator_a):
    alpha, bourg, _cap = communes_a
    original = InitiativeFactory(territory=territory_a, communes=[alpha], audiences=["seniors"])
    ReplicationSheetFactory(territory=territory_a, initiative=original)

    copy = replication_start(actor=coordinator_a, original=original, communes=[bourg])

    assert copy.replicated_from == original and copy.territory == territory_a
    assert list(copy.communes.all()) == [bourg]
    assert (copy.theme, copy.audiences, copy.status) == (original.theme, ["seniors"], "planned")
    assert list(original.replications.all()) == [copy]


def test_replication_refusals_are_french_and_store_nothing(
    territory_a, territory_b, communes_a, coordinator_a, coordinator_b
):
    alpha, bourg, _cap = communes_a
    plain = InitiativeFactory(territory=territory_a, communes=[alpha])
    with pytest.raises(ValidationError, match="Seule une bonne pratique"):
        replication_start(actor=coordinator_a, original=plain, communes=[bourg])
    ReplicationSheetFactory(territory=territory_a, initiative=plain)
    with pytest.raises(ValidationError, match="existe déjà dans ces communes"):
        replication_start(actor=coordinator_a, original=plain, communes=[alpha])
    with pytest.raises(ValidationError, match="pas toutes dans le territoire"):
        replication_start(actor=coordinator_a, original=plain, communes=[CommuneFactory(insee_code="79003")])
    with pytest.raises(ValidationError, match="autre territoire"):
        replication_start(
            actor=coordinator_a, original=plain, communes=[bourg], carrier=OrganisationFactory(territory=territory_b)
        )
    with pytest.raises(PermissionDenied):
        replication_start(actor=coordinator_b, original=plain, communes=[bourg])
    assert Initiative.objects.count() == 1


def test_admin_replicate_page_starts_the_replication_and_shows_errors_by_the_field(
    territory_a, communes_a, coordinator_a, login
):
    alpha, bourg, _cap = communes_a
    original = InitiativeFactory(territory=territory_a, communes=[alpha])
    ReplicationSheetFactory(territory=territory_a, initiative=original)
    client = login(coordinator_a)
    url = reverse("admin:prevention_initiative_replicate", args=[original.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The commune that already has it is not offered.
    assert [c.pk for c in page.context["form"].fields["communes"].queryset] == [bourg.pk, communes_a[2].pk]

    refused = client.post(url, {"title": "Reprise", "communes": []})
    assert refused.status_code == 400
    assert refused.context["form"].errors["communes"]

    done = client.post(url, {"title": "Reprise à Bourg", "communes": [bourg.pk]})
    copy = Initiative.objects.get(title="Reprise à Bourg")
    assert done.status_code == 302 and done["Location"] == reverse("admin:prevention_initiative_change", args=[copy.pk])
    assert copy.replicated_from == original


def test_replicate_page_of_another_territory_answers_404(territory_b, coordinator_a, login):
    original = ReplicationSheetFactory(territory=territory_b).initiative
    response = login(coordinator_a).get(reverse("admin:prevention_initiative_replicate", args=[original.pk]))
    assert response.status_code == 404


def test_good_practices_page_shows_what_spread_from_where(
    territory_a, communes_a, client, django_assert_max_num_queries
):
    alpha, bourg, cap = communes_a
    for i in range(6):
        original = InitiativeFactory(territory=territory_a, communes=[alpha], title=f"Pratique {i}")
        ReplicationSheetFactory(territory=territory_a, initiative=original)
        InitiativeFactory(territory=territory_a, communes=[bourg], replicated_from=original)
        InitiativeFactory(territory=territory_a, communes=[cap], replicated_from=original, unpublished=True)
    with django_assert_max_num_queries(10):
        response = client.get(_url("good_practices", territory_a))
    practices = response.context["practices"]
    assert len(practices) == 6
    # The public sees the published replication only.
    assert [list(p.replications.all()[0].communes.all()) for p in practices] == [[bourg]] * 6
    assert all(len(p.replications.all()) == 1 for p in practices)


# --- sharing with other territories ---------------------------------------------------------------

MARKERS = {
    "initiative": "ZQX-ACTION-NON-PARTAGEE",
    "note": "ZQX-NOTE-INTERNE",
    "funding": "9.87",
    "document": "ZQX-DOCUMENT-PRIVE",
    "ambassador": "ZQX-AMBASSADEUR",
    "student": "ZQX-ETUDIANT",
    "site": "ZQX-LIEU-ECOLE",
    "registration": "zqx-habitant@exemple.fr",
    "unpublished_practice": "ZQX-PRATIQUE-NON-PUBLIEE",
}


@pytest.fixture
def sharing_b(territory_b):
    """Territory B shares its good practices; everything else of B carries a marker string."""
    PreventionSettingsFactory(territory=territory_b, sharing=True)
    shared = InitiativeFactory(
        territory=territory_b, title="Parcours santé seniors partagé", internal_notes=MARKERS["note"], budget=987654
    )
    sheet = ReplicationSheetFactory(territory=territory_b, initiative=shared, why_it_works="Ateliers de quartier")
    FundingFactory(territory=territory_b, initiative=shared, cls_action_code=MARKERS["funding"])
    InitiativeDocumentFactory(territory=territory_b, initiative=shared, title=MARKERS["document"])
    InitiativeFactory(territory=territory_b, title=MARKERS["initiative"])
    hidden = InitiativeFactory(territory=territory_b, title=MARKERS["unpublished_practice"], unpublished=True)
    ReplicationSheetFactory(territory=territory_b, initiative=hidden)
    AmbassadorFactory(territory=territory_b, last_name=MARKERS["ambassador"])
    team = StudentTeamFactory(territory=territory_b)
    HealthStudentFactory(territory=territory_b, team=team, last_name=MARKERS["student"])
    InterventionSiteFactory(territory=territory_b, name=MARKERS["site"])
    details = AgendaDetailsFactory(territory=territory_b)
    RegistrationFactory(territory=territory_b, event=details.event, anonymous=True, email=MARKERS["registration"])
    return sheet


def _pages_of_a(territory_a, sheet):
    pages = [
        _url(name, territory_a)
        for name in ("agenda", "feed", "communes", "initiatives", "good_practices", "shared", "sanitary_service")
    ]
    pages.append(_url("shared_detail", territory_a, pk=sheet.pk))
    for model in ("initiative", "ambassador", "healthstudent", "interventionsite", "preventionevent", "studentteam"):
        pages.append(reverse(f"admin:prevention_{model}_changelist"))
    pages.append(reverse("admin:events_registration_changelist"))
    return pages


def test_shared_good_practice_is_readable_by_another_territory_and_nothing_else_crosses(
    territory_a, territory_b, sharing_b, coordinator_a, login
):
    client = login(coordinator_a)
    InitiativeFactory(territory=territory_a, title="Action de A")

    listed = client.get(_url("shared", territory_a))
    assert [s.pk for s in listed.context["sheets"]] == [sharing_b.pk]
    detail = client.get(_url("shared_detail", territory_a, pk=sharing_b.pk)).content.decode()
    assert "Parcours santé seniors partagé" in detail and "Ateliers de quartier" in detail

    for page in _pages_of_a(territory_a, sharing_b):
        response = client.get(page)
        assert response.status_code == 200, page
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{page} shows B's {name}"
        assert b"987654" not in body, page

    # Exports and autocompletes of A's admin.
    for model in ("initiative", "ambassador", "healthstudent", "interventionsite"):
        export = client.post(
            reverse(f"admin:prevention_{model}_changelist"),
            {"action": "export_csv", "select_across": "1", "index": 0, ACTION_CHECKBOX_NAME: []},
        )
        body = b"".join(export.streaming_content) if export.streaming else export.content
        assert not any(marker.encode() in body for marker in MARKERS.values()), model
    InitiativeFactory(territory=territory_a, title="ZQX-ACTION-DE-A")
    InterventionSiteFactory(territory=territory_a, name="ZQX-LIEU-DE-A")
    for model, field, own in (
        ("initiative", "replicated_from", "ZQX-ACTION-DE-A"),
        ("intervention", "site", "ZQX-LIEU-DE-A"),
    ):
        answer = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "prevention", "model_name": model, "field_name": field, "term": "ZQX"},
        )
        assert answer.status_code == 200
        found = [row["text"] for row in answer.json()["results"]]
        assert found == [own], (model, found)  # A's own row answers; none of B's

    # B's other objects answer 404 through A's site, the shared sheet's initiative page included.
    assert client.get(_url("initiative", territory_a, pk=sharing_b.initiative_id)).status_code == 404


def test_nothing_crosses_while_the_territory_does_not_share(
    territory_a, territory_b, coordinator_a, coordinator_b, login
):
    sheet = ReplicationSheetFactory(territory=territory_b)
    client = login(coordinator_a)
    assert client.get(_url("shared_detail", territory_a, pk=sheet.pk)).status_code == 404
    sharing_set(actor=coordinator_b, territory=territory_b, share=True)
    assert client.get(_url("shared_detail", territory_a, pk=sheet.pk)).status_code == 200
    sharing_set(actor=coordinator_b, territory=territory_b, share=False)
    assert client.get(_url("shared_detail", territory_a, pk=sheet.pk)).status_code == 404
    with pytest.raises(PermissionDenied):
        sharing_set(actor=coordinator_a, territory=territory_b, share=True)


def test_shared_pages_are_the_team_s_only(territory_a, territory_b, client, login, staff_of):
    from portal.enums import Role

    PreventionSettingsFactory(territory=territory_b, sharing=True)
    sheet = ReplicationSheetFactory(territory=territory_b)
    assert client.get(_url("shared", territory_a)).status_code == 302
    elected = login(staff_of(territory_a, Role.ELECTED_OFFICIAL))
    assert elected.get(_url("shared_detail", territory_a, pk=sheet.pk)).status_code == 404


def test_shared_list_query_count_does_not_grow(
    territory_a, coordinator_a, login, django_assert_max_num_queries, territory_b
):
    PreventionSettingsFactory(territory=territory_b, sharing=True)
    for _ in range(10):
        ReplicationSheetFactory(territory=territory_b)
    client = login(coordinator_a)
    with django_assert_max_num_queries(12):
        response = client.get(_url("shared", territory_a))
    assert len(response.context["sheets"]) == 10
