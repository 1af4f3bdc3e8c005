"""Household details go entirely (spouse's job, children's ages, the household needs' free text, the
consent) at the end of their retention period or when the applicant withdraws consent; the timeline
says which kinds went, never the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from installations.enums import EventKind, NeedKind
from installations.models import Case, CaseEvent, Need
from portal.notifications.models import Notification
from portal.privacy.services import territory_retention_purge
from tests.installations.factories import CaseFactory, NeedFactory, NoteFactory
from tests.privacy.markers import tables_containing

pytestmark = pytest.mark.django_db


def household_case(territory, *, consent_days_ago, marker, **kwargs):
    consent_at = timezone.now() - datetime.timedelta(days=consent_days_ago)
    case = CaseFactory(
        territory=territory,
        household_consent=True,
        household_consent_at=consent_at,
        household_retention_until=(consent_at + datetime.timedelta(days=730)).date(),
        spouse_profession=f"Professeure des écoles {marker}-CONJOINT",
        children_ages=[2, 7],
        **kwargs,
    )
    NeedFactory(territory=territory, case=case, kind=NeedKind.CHILDCARE, details=f"Crèche pour 2 ans {marker}-CRECHE")
    job = NeedFactory(territory=territory, case=case, kind=NeedKind.SPOUSE_JOB, details=f"Enseignante {marker}-EMPLOI")
    NoteFactory(territory=territory, case=case, need=job, body=f"Piste au collège {marker}-NOTE")
    NeedFactory(territory=territory, case=case, kind=NeedKind.PREMISES, details="Un cabinet en MSP")
    return case


def test_the_purge_erases_every_household_detail_past_retention_and_keeps_younger_ones(territory_a):
    old = household_case(territory_a, consent_days_ago=731, marker="VIEUX")
    young = household_case(territory_a, consent_days_ago=700, marker="JEUNE")

    purged = territory_retention_purge(territory=territory_a)

    assert purged["installations.household"] == 1
    assert tables_containing("VIEUX-") == []
    old.refresh_from_db()
    assert (old.household_consent, old.household_consent_at, old.household_retention_until) == (False, None, None)
    assert old.spouse_profession == "" and old.children_ages == []
    # The needs stay (their kinds feed the statistics); only their household free text goes.
    assert set(old.needs.values_list("kind", "details")) == {
        (NeedKind.CHILDCARE, ""),
        (NeedKind.SPOUSE_JOB, ""),
        (NeedKind.PREMISES, "Un cabinet en MSP"),
    }
    event = old.events.get(kind=EventKind.HOUSEHOLD_PURGED)
    assert event.actor is None and event.public
    assert event.payload == {
        "kinds": [
            "spouse_profession",
            "children_ages",
            "household_needs_details",
            "household_needs_notes",
            "household_consent",
        ]
    }
    # The younger consent keeps everything.
    young.refresh_from_db()
    assert young.household_consent and young.children_ages == [2, 7]
    assert len(tables_containing("JEUNE-")) == 3  # the case, its needs and the note
    assert not young.events.filter(kind=EventKind.HOUSEHOLD_PURGED).exists()
    # A second run finds nothing more to do.
    assert territory_retention_purge(territory=territory_a)["installations.household"] == 0


def test_a_past_stated_deadline_is_purged_even_if_the_setting_grew(territory_a, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        **settings.PERSONAL_DATA_RETENTION_DAYS,
        "installations.household": 5 * 365,
    }
    case = household_case(territory_a, consent_days_ago=800, marker="PROMIS")
    territory_retention_purge(territory=territory_a)
    assert tables_containing("PROMIS-") == []
    case.refresh_from_db()
    assert not case.household_consent


def test_the_applicant_withdraws_consent_from_their_space_with_immediate_effect(
    territory_a, coordinator_a, applicant, login
):
    case = household_case(
        territory_a, consent_days_ago=10, marker="RETRAIT", applicant=applicant, assigned_to=coordinator_a
    )
    client = login(applicant)
    space = client.get(reverse("portal:personal_space")).content.decode()
    url = reverse("installations:household_consent_withdraw", args=[territory_a.slug, case.pk])
    assert url in space

    response = client.post(url, {"next": reverse("portal:personal_space")})

    assert response.status_code == 302 and response["Location"] == reverse("portal:personal_space")
    assert tables_containing("RETRAIT-") == []
    case.refresh_from_db()
    assert not case.household_consent and case.children_ages == []
    event = case.events.get(kind=EventKind.CONSENT_WITHDRAWN)
    assert event.actor == applicant and event.public and "household_consent" in event.payload["kinds"]
    # The coordinator is told, and sees it on the case page's timeline.
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.consent_withdrawn").exists()
    page = login(coordinator_a).get(reverse("admin:installations_case_change", args=[case.pk])).content.decode()
    assert "Consentement retiré par le demandeur" in page
    # The button is gone from the space, and the case page says nothing is left to withdraw.
    assert url not in client.get(reverse("portal:personal_space")).content.decode()
    again = client.post(url, follow=True)
    assert "pas de consentement en cours" in again.content.decode()


def test_the_case_page_offers_the_withdrawal_and_an_outside_next_is_ignored(territory_a, applicant, login):
    case = household_case(territory_a, consent_days_ago=10, marker="PAGE", applicant=applicant)
    client = login(applicant)
    detail = reverse("installations:case_detail", args=[territory_a.slug, case.pk])
    url = reverse("installations:household_consent_withdraw", args=[territory_a.slug, case.pk])
    assert url in client.get(detail).content.decode()
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == detail + "#data-title"


def test_nobody_else_withdraws_an_applicants_consent(territory_a, territory_b, applicant, coordinator_a, login):
    case = household_case(territory_a, consent_days_ago=10, marker="AUTRE", applicant=applicant)
    url = reverse("installations:household_consent_withdraw", args=[territory_a.slug, case.pk])
    other = login(CaseFactory(territory=territory_a).applicant)
    assert other.post(url).status_code == 404
    assert login(coordinator_a).post(url).status_code == 404
    wrong_territory = reverse("installations:household_consent_withdraw", args=[territory_b.slug, case.pk])
    assert login(applicant).post(wrong_territory).status_code == 404
    assert login(applicant).get(url).status_code == 405
    assert Case.objects.get(pk=case.pk).household_consent
    assert not CaseEvent.objects.filter(kind=EventKind.CONSENT_WITHDRAWN).exists()
    assert Need.objects.filter(details__contains="AUTRE-").count() == 2
    assert tables_containing("AUTRE-NOTE") == ["installations_note"]
