"""Members who left a body lose their name past PERSONAL_DATA_RETENTION_DAYS["governance.former_members"]
(5 years from the mandate's end); members still seated, or who left more recently, stay whole, and the
deliberations (public archives) are kept."""

import datetime

import pytest
from django.utils import timezone

from governance.enums import Attendance, Reply
from governance.models import Deliberation, GovernanceEvent, Mandate, Participation
from portal.privacy.services import territory_retention_purge
from tests.governance.factories import (
    DeliberationFactory,
    GovernanceEventFactory,
    MandateFactory,
    MeetingFactory,
    ParticipationFactory,
)
from tests.portal.factories import UserFactory
from tests.privacy.markers import admin_export, tables_containing

pytestmark = pytest.mark.django_db


def years_ago(years, days=0):
    return timezone.localdate() - datetime.timedelta(days=years * 365 + days)


def test_members_who_left_long_ago_lose_their_name_and_the_rest_stays(territory_a, territory_b, coordinator_a, login):
    member = UserFactory(first_name="Paulette", last_name="Ancienne-MARQUE", email="ancienne-marque@exemple.fr")
    left = MandateFactory(territory=territory_a, user=member, start_date=years_ago(9), end_date=years_ago(5, 2))
    seat = MandateFactory(
        territory=territory_a,
        organisation_seat=True,
        person_name="Représentant SIEGE-MARQUE",
        start_date=years_ago(8),
        end_date=years_ago(6),
    )
    without_account = MandateFactory(
        territory=territory_a,
        user=None,
        person_name="Sans Compte-MARQUE",
        start_date=years_ago(8),
        end_date=years_ago(7),
    )
    recent = MandateFactory(
        territory=territory_a,
        user=None,
        person_name="Partie Recemment-GARDE",
        start_date=years_ago(8),
        end_date=years_ago(4),
    )
    seated = MandateFactory(
        territory=territory_a, user=None, person_name="Toujours Siegeant-GARDE", start_date=years_ago(8)
    )
    other = MandateFactory(
        territory=territory_b,
        user=None,
        person_name="Autre Territoire-GARDE",
        start_date=years_ago(9),
        end_date=years_ago(8),
    )
    meeting = MeetingFactory(
        territory=territory_a,
        body=left.body,
        starts_at=timezone.now() - datetime.timedelta(days=6 * 365),
        ends_at=timezone.now() - datetime.timedelta(days=6 * 365 - 1),
    )
    attended = ParticipationFactory(
        territory=territory_a,
        meeting=meeting,
        mandate=left,
        reply=Reply.ATTENDING,
        replied_at=timezone.now() - datetime.timedelta(days=6 * 365),
        attendance=Attendance.PRESENT,
    )
    GovernanceEventFactory(territory=territory_a, verb="mandate_add", target="Paulette Ancienne-MARQUE")
    GovernanceEventFactory(territory=territory_a, verb="reply_record", target=f"Sans Compte-MARQUE — {meeting}")
    deliberation = DeliberationFactory(territory=territory_a, body=left.body, title="Avis sur le projet de MSP")

    purged = territory_retention_purge(territory=territory_a)

    assert purged["governance.former_members"] == 3
    # Nothing of them in governance's tables nor in the mandates' export; the account is the person's own
    # (they close it themselves), no longer linked to the seat.
    assert tables_containing("MARQUE") == ["portal_user"]
    client = login(coordinator_a)
    text = admin_export(client, Mandate, Mandate.objects.all())
    assert "MARQUE" not in text and "Partie Recemment-GARDE" in text and "Toujours Siegeant-GARDE" in text
    left.refresh_from_db()
    seat.refresh_from_db()
    without_account.refresh_from_db()
    assert left.user is None and left.person_name == "Ancien membre"
    assert seat.person_name == "" and seat.display_name == seat.organisation.name  # the organisation's seat stays
    assert without_account.display_name == "Ancien membre"
    # Attendance stays as a figure, without the dates of the person's answers.
    attended.refresh_from_db()
    assert (attended.attendance, attended.reply, attended.replied_at, attended.convened_at) == (
        Attendance.PRESENT,
        Reply.ATTENDING,
        None,
        None,
    )
    assert set(GovernanceEvent.objects.values_list("target", flat=True)) == {
        "Ancien membre",
        f"Ancien membre — {meeting}",
    }
    assert Deliberation.objects.get(pk=deliberation.pk).title == "Avis sur le projet de MSP"
    for kept in (recent, seated, other):
        assert Mandate.objects.get(pk=kept.pk).person_name == kept.person_name
    assert Participation.objects.count() == 1
    # A second night finds nothing left to do.
    assert territory_retention_purge(territory=territory_a)["governance.former_members"] == 0
