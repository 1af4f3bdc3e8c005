import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.enums import DeliberationKind, Outcome
from governance.models import Deliberation
from governance.services.register import deliberation_record
from tests.governance.factories import BodyFactory, MandateFactory, MeetingFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _record(actor, body, decided_on, **kwargs):
    values = {
        "kind": DeliberationKind.DELIBERATION,
        "title": "Adoption du programme de travail",
        "outcome": Outcome.ADOPTED,
    }
    values.update(kwargs)
    return deliberation_record(actor=actor, body=body, decided_on=decided_on, **values)


def test_register_numbers_run_per_body_and_restart_each_year(body_a, coordinator_a):
    other = BodyFactory(territory=body_a.territory, name="Comité de pilotage du CLS")
    first = _record(coordinator_a, body_a, dt.date(2026, 3, 12))
    second = _record(
        coordinator_a,
        body_a,
        dt.date(2026, 10, 8),
        kind=DeliberationKind.OPINION,
        title="Avis sur le projet de MSP de Valognes",
        outcome=Outcome.FAVOURABLE,
    )
    other_first = _record(coordinator_a, other, dt.date(2026, 4, 2))
    next_year = _record(coordinator_a, body_a, dt.date(2027, 1, 20))
    assert [first.reference, second.reference] == ["2026-01", "2026-02"]
    assert other_first.reference == "2026-01"
    assert next_year.reference == "2027-01"


def test_votes_exceeding_members_present_or_represented_are_refused(body_a, coordinator_a):
    meeting = MeetingFactory(territory=body_a.territory, body=body_a, held=True)
    participations = [ParticipationFactory(territory=body_a.territory, meeting=meeting) for _ in range(5)]
    for p, attendance in zip(participations, ["present", "present", "represented", "absent", "absent"], strict=True):
        p.attendance = attendance
        p.save()
    with pytest.raises(ValidationError) as error:
        _record(coordinator_a, body_a, dt.date(2026, 3, 12), meeting=meeting, votes_for=3, votes_against=1)
    message = error.value.message_dict["votes_for"][0]
    assert "dépassent le nombre de membres présents ou représentés (3)" in message
    assert not Deliberation.objects.for_territory(body_a.territory).exists()
    ok = _record(coordinator_a, body_a, dt.date(2026, 3, 12), meeting=meeting, votes_for=2, abstentions=1)
    assert ok.number == 1


def test_votes_without_a_meeting_are_capped_by_voting_members(body_a, coordinator_a):
    for _ in range(2):
        MandateFactory(territory=body_a.territory, body=body_a)
    with pytest.raises(ValidationError, match="membres ayant voix délibérative \\(2\\)"):
        _record(coordinator_a, body_a, dt.date(2026, 3, 12), votes_for=3)


def test_admin_records_a_deliberation_under_the_next_number(body_a, coordinator_a, login):
    _record(coordinator_a, body_a, dt.date(2026, 3, 12))
    MandateFactory(territory=body_a.territory, body=body_a)
    response = login(coordinator_a).post(
        "/admin/governance/deliberation/add/",
        {
            "territory": body_a.territory.pk,
            "body": body_a.pk,
            "kind": "opinion",
            "title": "Avis sur la MSP",
            "text": "",
            "decided_on": "12/03/2026",
            "votes_for": "1",
            "votes_against": "0",
            "abstentions": "0",
            "outcome": "favourable",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Deliberation.objects.for_territory(body_a.territory).get(title="Avis sur la MSP").reference == "2026-02"


def test_admin_refuses_votes_exceeding_members_with_the_message(body_a, coordinator_a, login):
    response = login(coordinator_a).post(
        "/admin/governance/deliberation/add/",
        {
            "territory": body_a.territory.pk,
            "body": body_a.pk,
            "kind": "opinion",
            "title": "Avis",
            "decided_on": "12/03/2026",
            "votes_for": "4",
            "votes_against": "0",
            "abstentions": "0",
            "outcome": "favourable",
        },
    )
    assert response.status_code == 200
    assert "dépassent le nombre" in str(response.context["adminform"].form.errors)
