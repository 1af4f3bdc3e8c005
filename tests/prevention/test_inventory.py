"""The initiatives inventory: the commune × theme table, the lists, what the public and the team see,
the admin's checks and its CSV export."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from prevention.enums import FundingSource, Theme
from prevention.models import Funding, Initiative
from tests.portal.factories import CommuneFactory, OrganisationFactory
from tests.prevention.factories import FundingFactory, InitiativeFactory, ReplicationSheetFactory

pytestmark = pytest.mark.django_db


def _url(name, territory, **kwargs):
    return reverse(f"prevention:{name}", kwargs={"territory_slug": territory.slug, **kwargs})


def test_commune_table_counts_live_initiatives_and_shows_where_nothing_exists(territory_a, communes_a, client):
    alpha, bourg, cap = communes_a
    InitiativeFactory(territory=territory_a, theme=Theme.NUTRITION, communes=[alpha, bourg])
    InitiativeFactory(territory=territory_a, theme=Theme.NUTRITION, communes=[alpha])
    InitiativeFactory(territory=territory_a, theme=Theme.FIRST_AID, communes=[bourg])
    InitiativeFactory(territory=territory_a, theme=Theme.ADDICTIONS, communes=[cap], abandoned=True)
    InitiativeFactory(territory=territory_a, theme=Theme.AGEING, communes=[cap], unpublished=True)

    response = client.get(_url("communes", territory_a))

    table = response.context["table"]
    rows = {row.commune.name: dict(zip([v for v, _l in table.themes], row.counts, strict=True)) for row in table.rows}
    assert rows["Alpha-Ville"][Theme.NUTRITION] == 2
    assert rows["Bourg-d'Alpha"][Theme.NUTRITION] == 1 and rows["Bourg-d'Alpha"][Theme.FIRST_AID] == 1
    # Abandoned and (for the public) unpublished initiatives do not count: Cap-Alpha has nothing.
    assert not any(rows["Cap-Alpha"].values())
    assert [c.name for c in table.communes_without_any] == ["Cap-Alpha"]
    body = response.content.decode()
    assert "1 commune n'a encore aucune action de prévention." in body
    assert "aucune" in body


def test_team_sees_its_unpublished_initiatives_in_the_table(territory_a, communes_a, coordinator_a, login):
    InitiativeFactory(territory=territory_a, theme=Theme.AGEING, communes=[communes_a[2]], unpublished=True)
    table = login(coordinator_a).get(_url("communes", territory_a)).context["table"]
    assert sum(table.totals) == 1


def test_commune_table_query_count_does_not_grow(territory_a, communes_a, client, django_assert_max_num_queries):
    more = [CommuneFactory(insee_code=f"5010{i}", name=f"Commune {i}") for i in range(8)]
    territory_a.communes.add(*more)
    for i, theme in enumerate(list(Theme)[:10]):
        InitiativeFactory(territory=territory_a, theme=theme, communes=[more[i % 8], communes_a[i % 3]])
    with django_assert_max_num_queries(8):
        response = client.get(_url("communes", territory_a))
    assert response.status_code == 200


def test_initiative_list_filters_and_query_count(territory_a, communes_a, client, django_assert_max_num_queries):
    for _i in range(12):
        original = InitiativeFactory(territory=territory_a, theme=Theme.NUTRITION, communes=communes_a[:2])
        ReplicationSheetFactory(territory=territory_a, initiative=original)
        InitiativeFactory(
            territory=territory_a, theme=Theme.FIRST_AID, communes=[communes_a[2]], replicated_from=original
        )
    with django_assert_max_num_queries(10):
        response = client.get(_url("initiatives", territory_a), {"theme": Theme.FIRST_AID, "commune": communes_a[2].pk})
    assert response.status_code == 200
    assert len(response.context["initiatives"]) == 12
    assert {i.theme for i in response.context["initiatives"]} == {Theme.FIRST_AID}


def test_garbage_in_the_initiative_filters_gets_french_messages_not_a_500(territory_a, communes_a, client):
    other = CommuneFactory(insee_code="79001", name="Ailleurs")
    response = client.get(_url("initiatives", territory_a), {"theme": "<script>", "commune": other.pk, "status": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sélectionnez un choix valide" in body
    assert 'aria-describedby="id_theme_error' in body or "id_theme_error" in body


def test_public_sees_the_description_never_the_budget_the_team_sees_both(territory_a, coordinator_a, client, login):
    initiative = InitiativeFactory(territory=territory_a, internal_notes="NOTE-INTERNE-42", budget=Decimal("1234"))
    FundingFactory(territory=territory_a, initiative=initiative, cls_action_code="4.2", amount=Decimal("777"))
    url = _url("initiative", territory_a, pk=initiative.pk)

    public = client.get(url).content.decode()
    assert initiative.summary in public
    assert "NOTE-INTERNE-42" not in public and "777" not in public and "1234" not in public

    team = login(coordinator_a).get(url).content.decode()
    assert "NOTE-INTERNE-42" in team and "777" in team and "4.2" in team


def test_unpublished_initiative_answers_404_to_the_public(territory_a, client):
    initiative = InitiativeFactory(territory=territory_a, unpublished=True)
    assert client.get(_url("initiative", territory_a, pk=initiative.pk)).status_code == 404


# --- the admin ----------------------------------------------------------------------------------------


def _admin_post(client, initiative_territory, communes, **overrides):
    data = {
        "territory": initiative_territory.pk,
        "title": "Ateliers nutrition",
        "summary": "",
        "theme": Theme.NUTRITION,
        "status": "ongoing",
        "published": "on",
        "communes": [c.pk for c in communes],
        "start_date": "2026-03-01",
        "end_date": "",
        **{f"{prefix}-{key}": value for prefix in ("fundings", "documents") for key, value in _empty_formset().items()},
        **{f"replication_sheet-{key}": value for key, value in _empty_formset(max_num=1).items()},
    }
    data.update(overrides)
    return client.post(reverse("admin:prevention_initiative_add"), data)


def _empty_formset(max_num=1000):
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": str(max_num)}


def test_coordinator_records_an_initiative_in_the_admin(territory_a, communes_a, coordinator_a, login):
    response = _admin_post(login(coordinator_a), territory_a, communes_a[:2])
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(title="Ateliers nutrition")
    assert set(initiative.communes.all()) == set(communes_a[:2])


def test_admin_refuses_an_end_before_the_start_and_a_commune_outside_the_territory(
    territory_a, communes_a, coordinator_a, login
):
    outside = CommuneFactory(insee_code="79002", name="Hors-Champ")
    client = login(coordinator_a)
    response = _admin_post(client, territory_a, communes_a[:1], end_date="2026-01-01")
    assert response.context["adminform"].form.errors["end_date"] == ["La fin doit être après le début de l'action."]
    response = _admin_post(client, territory_a, communes_a[:1])
    assert response.status_code == 302
    Initiative.objects.all().delete()
    # A commune of another territory is not even offered: the choice is refused.
    response = _admin_post(client, territory_a, [outside])
    assert response.status_code == 200
    assert "communes" in response.context["adminform"].form.errors
    assert not Initiative.objects.exists()


def test_cls_envelope_needs_its_action_sheet_code(territory_a):
    funding = Funding(
        territory=territory_a,
        initiative=InitiativeFactory(territory=territory_a),
        source=FundingSource.CLS_ENVELOPE,
        amount=Decimal("10"),
        year=2026,
    )
    with pytest.raises(Exception) as error:
        funding.full_clean()
    assert "indiquez son numéro" in str(error.value)


def test_csv_export_holds_communes_funders_and_cls_codes_in_pinned_queries(
    territory_a, communes_a, coordinator_a, login, django_assert_max_num_queries
):
    pks = []
    for i in range(15):
        initiative = InitiativeFactory(territory=territory_a, communes=communes_a, title=f"Action {i:02d}")
        initiative.partners.add(OrganisationFactory(territory=territory_a))
        FundingFactory(territory=territory_a, initiative=initiative, cls_action_code=f"4.{i % 3}")
        FundingFactory(territory=territory_a, initiative=initiative, source=FundingSource.COMMUNE, cls_action_code="")
        pks.append(initiative.pk)
    client = login(coordinator_a)
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("admin:prevention_initiative_changelist"),
            {"action": "export_csv", ACTION_CHECKBOX_NAME: pks, "index": 0},
        )
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == 16
    assert lines[0].startswith("intitulé;thème;état;communes")
    assert "Alpha-Ville, Bourg-d'Alpha, Cap-Alpha" in lines[1]
    assert "Enveloppe prévention du CLS 3000.00 €" in lines[1] and "Commune 3000.00 €" in lines[1]


def test_period_check_constraint_holds_in_the_database(territory_a):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        InitiativeFactory(territory=territory_a, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 1))


def test_commune_table_counts_communes_without_action_per_theme_and_can_hide_empty_ones(
    territory_a, communes_a, client
):
    alpha, bourg, _cap = communes_a
    InitiativeFactory(territory=territory_a, theme=Theme.NUTRITION, communes=[alpha, bourg])
    response = client.get(_url("communes", territory_a))
    table = response.context["table"]
    themes = [v for v, _l in table.themes]
    assert table.communes_without_theme[themes.index(Theme.NUTRITION)] == 1
    assert table.communes_without_theme[themes.index(Theme.FIRST_AID)] == 3
    assert [r.commune.name for r in response.context["rows"]] == ["Alpha-Ville", "Bourg-d'Alpha", "Cap-Alpha"]
    hidden = client.get(_url("communes", territory_a), {"vides": "masquer"})
    assert [r.commune.name for r in hidden.context["rows"]] == ["Alpha-Ville", "Bourg-d'Alpha"]


def test_filling_the_sheet_in_the_admin_makes_a_good_practice_through_its_service(
    territory_a, communes_a, coordinator_a, login
):
    sheet = {
        "replication_sheet-TOTAL_FORMS": "1",
        "replication_sheet-0-why_it_works": "Des ateliers près de chez soi.",
        "replication_sheet-0-key_steps": "Une salle ; deux animateurs.",
        "replication_sheet-0-resources_needed": "",
        "replication_sheet-0-pitfalls": "",
        "replication_sheet-0-contact": "",
    }
    response = _admin_post(login(coordinator_a), territory_a, communes_a[:1], **sheet)
    assert response.status_code == 302
    practice = Initiative.objects.good_practices().get()
    assert practice.replication_sheet.key_steps == "Une salle ; deux animateurs."
    assert practice.replication_sheet.territory == territory_a
