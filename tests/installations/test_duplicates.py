"""A second request by the same person while their first is still open, in the same territory, is
flagged to the coordinator on the case list's row and the case page, with a link to the first; the
applicant is never refused, and another territory's case is never named."""

import pytest

from installations.enums import CaseStatus, NeedKind
from installations.models import Case
from installations.services.submission import case_submit
from portal.enums import Profession
from tests.installations.admin_helpers import CHANGELIST, change_url, get_with_queries
from tests.installations.factories import CaseFactory

FLAG = "Demande en double possible : voir"


def submit(territory, actor=None, **overrides):
    data = {
        "territory": territory,
        "actor": actor,
        "email": "" if actor else "interne@exemple.fr",
        "profession": Profession.DOCTOR_GP,
        "needs": {NeedKind.PREMISES: ""},
    }
    data.update(overrides)
    return case_submit(**data)


def _flag_in(html, case):
    return f'{FLAG} <a href="{change_url(case)}">{case.reference}</a>' in html


def test_a_second_request_of_the_same_account_is_flagged_on_the_list_and_the_page(territory_a, applicant, client_a):
    first = submit(territory_a, applicant)
    second = submit(territory_a, applicant, profession=Profession.NURSE)
    # Not blocked: the second request is a request like any other.
    assert second.status == CaseStatus.SUBMITTED and second.pk != first.pk
    assert second.possible_duplicate_of == first and first.possible_duplicate_of is None
    listed = client_a.get(CHANGELIST).content.decode()
    assert _flag_in(listed, first)
    assert listed.count(FLAG) == 1  # the first request's row carries no flag
    page, flagged_queries = get_with_queries(client_a, change_url(second))
    assert _flag_in(page.content.decode(), first)
    # The first request's reference and date come with the case page's one read of the case.
    page, queries = get_with_queries(client_a, change_url(first))
    assert FLAG not in page.content.decode() and len(flagged_queries) == len(queries)


@pytest.mark.parametrize(
    ("first_kwargs", "second_kwargs"),
    [
        ({"email": "Interne@Exemple.fr"}, {"email": "interne@exemple.fr"}),
        (
            {"email": "ancienne@exemple.fr", "rpps": "10002415783"},
            {"email": "nouvelle@exemple.fr", "rpps": "10002415783"},
        ),
    ],
    ids=["same e-mail", "same RPPS"],
)
def test_anonymous_requests_are_matched_by_e_mail_or_rpps(territory_a, first_kwargs, second_kwargs):
    first = submit(territory_a, **first_kwargs)
    second = submit(territory_a, **second_kwargs)
    assert first.status == second.status == CaseStatus.UNCONFIRMED
    assert second.possible_duplicate_of == first


def test_a_closed_request_or_another_person_is_not_a_duplicate(territory_a, applicant):
    CaseFactory(territory=territory_a, applicant=applicant, applicant_email=applicant.email, closed=True)
    CaseFactory(territory=territory_a, applicant=None, applicant_email="autre@exemple.fr")
    assert submit(territory_a, applicant).possible_duplicate_of is None


def test_another_territorys_open_request_is_never_flagged_nor_named(
    territory_a, territory_b, applicant, client_a, coordinator_b, login
):
    elsewhere = submit(territory_b, applicant, rpps="10002415783")
    here = submit(territory_a, applicant, rpps="10002415783")
    assert here.possible_duplicate_of is None
    # Even a link stored against the rule (an import, a hand-made fix) is not shown.
    Case.objects.filter(pk=here.pk).update(possible_duplicate_of=elsewhere)
    for html in (client_a.get(CHANGELIST).content.decode(), client_a.get(change_url(here)).content.decode()):
        assert FLAG not in html and elsewhere.reference not in html
    # B's coordinator sees B's case without a flag either.
    assert FLAG not in login(coordinator_b).get(change_url(elsewhere)).content.decode()
