"""Every prevention page renders every variable (the test settings show an undefined one as
!!MISSING:…!!), for the public and for the team, with rows that lack what they may lack."""

import pytest
from django.urls import reverse

from prevention.enums import FundingSource
from tests.events.factories import EventFactory
from tests.prevention.factories import (
    AgendaDetailsFactory,
    AmbassadorFactory,
    FundingFactory,
    InitiativeDocumentFactory,
    InitiativeFactory,
    InterventionFactory,
    InterventionSiteFactory,
    PreventionEventFactory,
    PreventionSettingsFactory,
    ReplicationSheetFactory,
)

pytestmark = pytest.mark.django_db


def test_pages_render_every_variable(
    territory_a, territory_b, communes_a, coordinator_a, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plain = InitiativeFactory(territory=territory_a, carrier=None, communes=[], start_date=None, budget=None)
    FundingFactory(
        territory=territory_a, initiative=plain, source=FundingSource.COMMUNE, funder=None, cls_action_code=""
    )
    InitiativeDocumentFactory(territory=territory_a, initiative=plain)
    practice = ReplicationSheetFactory(
        territory=territory_a, initiative=InitiativeFactory(territory=territory_a, communes=communes_a)
    ).initiative
    InitiativeFactory(territory=territory_a, replicated_from=practice, communes=communes_a[1:])
    AgendaDetailsFactory(territory=territory_a)
    PreventionEventFactory(territory=territory_a, title="Sans thème", capacity=None, organiser=None)
    AgendaDetailsFactory(territory=territory_a, event=PreventionEventFactory(territory=territory_a, past=True))
    EventFactory(territory=territory_a, kind="training.session")
    InterventionFactory(
        territory=territory_a, site=InterventionSiteFactory(territory=territory_a, themes=[], max_teams=None)
    )
    AmbassadorFactory(territory=territory_a, themes=[])
    PreventionSettingsFactory(territory=territory_b, sharing=True)
    shared = ReplicationSheetFactory(territory=territory_b, pitfalls="", contact="", resources_needed="")

    slug = territory_a.slug
    public = [
        reverse("prevention:agenda", args=[slug]),
        reverse("prevention:agenda", args=[slug]) + "?quand=passes",
        reverse("prevention:communes", args=[slug]),
        reverse("prevention:initiatives", args=[slug]),
        reverse("prevention:initiative", args=[slug, plain.pk]),
        reverse("prevention:initiative", args=[slug, practice.pk]),
        reverse("prevention:good_practices", args=[slug]),
    ]
    team = [
        *public,
        reverse("prevention:shared", args=[slug]),
        reverse("prevention:shared_detail", args=[slug, shared.pk]),
        reverse("prevention:sanitary_service", args=[slug]),
        reverse("admin:prevention_initiative_replicate", args=[practice.pk]),
    ]
    staff = login(coordinator_a)
    for reader, pages in ((client, public), (staff, team)):
        for page in pages:
            response = reader.get(page)
            assert response.status_code == 200, page
            assert "!!MISSING" not in response.content.decode(), page
    assert "Bonne pratique" not in client.get(reverse("prevention:initiative", args=[slug, plain.pk])).content.decode()
