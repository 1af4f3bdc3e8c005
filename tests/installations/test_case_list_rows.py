"""The case list reads its rows with fixed SQL around the ORM's query of their ids
(selectors.case_rows): the rows must be those the ORM's own query of the list gives
(selectors.case_rows_query), in the same order, for every filter and sort."""

import datetime
from html import escape as html_escape

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from installations import selectors
from installations.admin.case_list import escape
from installations.enums import CaseStatus, NeedKind, NeedState
from installations.models import Case
from portal.enums import Profession, Role
from tests.installations.factories import CaseFactory, NeedFactory
from tests.portal.factories import MembershipFactory, UserFactory

# Every filter and sort of the list, alone and together (what the load benchmark rotates over, and more).
QUERIES = [
    {},
    {"status": "open"},
    {"status": "submitted"},
    {"status": "supported", "o": "-reference"},
    {"o": "reference"},
    {"o": "-applicant"},
    {"o": "profession", "status": "open"},
    {"o": "-status"},
    {"o": "assigned"},
    {"o": "-assigned", "status": "supported"},
    {"o": "contact"},
    {"o": "-contact", "status": "open"},
    {"o": "submitted"},
    {"profession": "nurse"},
    {"profession": "doctor_gp", "o": "applicant"},
    {"need": "childcare"},
    {"need": "premises", "status": "open"},
    {"q": "martin"},
    {"q": "martin claire", "o": "-submitted"},
    {"q": "a@b.fr"},
    {"q": "B01"},
    {"assigned": "me"},
    {"assigned": "none", "status": "submitted"},
    {"waiting_on": "coordinator"},
    {"waiting_on": "no_answer"},
    {"waiting_on": "applicant"},
    {"waiting_on": "partner"},
    {"waiting_on": "partner", "o": "-assigned"},
    {"age": "7"},
    {"age": "30", "status": "open"},
    {"age": "old", "o": "contact"},
]


@pytest.fixture
def varied_cases(territory_a, territory_b, coordinator_a):
    """Cases of every status, profession and waiting state, assigned or not (to a member, a former
    one), possible duplicates of this territory's and another's, with needs referred or not."""
    colleague = UserFactory(first_name="", last_name="", email="collegue@example.org", staff=True)
    MembershipFactory(user=colleague, territory=territory_a, role=Role.COORDINATOR)
    former = UserFactory(last_name="Ancien", staff=True)
    elsewhere = CaseFactory(territory=territory_b)
    now = timezone.now()
    names = [("Claire", "Martin"), ("", ""), ("Jean", "Dupont"), ("Marie", "<b>Martin</b> & 'co'")]
    cases = []
    for i in range(60):
        first, last = names[i % len(names)]
        case = CaseFactory(
            territory=territory_a,
            status=CaseStatus.values[i % len(CaseStatus.values)],
            profession=Profession.values[i % 5],
            applicant_first_name=first,
            applicant_last_name=last,
            applicant_email="a@b.fr" if i % 7 == 0 else f"demandeur{i}@example.org",
            submitted_at=now - datetime.timedelta(days=i * 3, hours=i),
            last_contact_at=now - datetime.timedelta(days=i) if i % 3 else None,
            awaiting_reply_since=now - datetime.timedelta(days=i % 12) if i % 2 else None,
            assigned_to=[None, coordinator_a, colleague, former][i % 4],
        )
        if i % 5 == 1 and cases:
            case.possible_duplicate_of = cases[-1]
        elif i % 5 == 2:
            case.possible_duplicate_of = elsewhere
        case.save()
        if i % 4 == 1:
            NeedFactory(territory=territory_a, case=case, kind=NeedKind.CHILDCARE, state=NeedState.REFERRED)
        if i % 3 == 0:
            NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
        cases.append(case)
    return cases


def _fields(row):
    return tuple(
        getattr(row, name) for name in selectors.CaseRow.__slots__ if name not in ("days_since_contact", "waiting_on")
    )


@pytest.mark.parametrize("params", QUERIES)
def test_the_rows_are_those_of_the_orms_query_for_every_filter_and_sort(coordinator_a, varied_cases, params):
    request = RequestFactory().get("/admin/installations/case/", params)
    request.user = coordinator_a
    filterset = admin.site._registry[Case].case_filterset(request)
    assert not filterset.form.errors
    listed = filterset.qs
    for offset in (0, 10, 55):
        page = listed[offset : offset + 11]
        ours = selectors.case_rows(page)
        orms = [selectors.CaseRow(row) for row in selectors.case_rows_query(page)]
        assert [_fields(row) for row in ours] == [_fields(row) for row in orms]
    # The page of ids the list reads first for some sorts: any order, the same rows.
    ids = list(listed.values_list("pk", flat=True)[:20])
    subset = listed.order_by().filter(pk__in=ids)
    ours = sorted(map(_fields, selectors.case_rows(subset)))
    assert ours == sorted(_fields(selectors.CaseRow(row)) for row in selectors.case_rows_query(subset))


def test_the_rows_of_the_orms_query_show_the_cases_variety(coordinator_a, varied_cases):
    # (The comparison above means something: the rows differ in what the list shows.)
    rows = selectors.case_rows(Case.objects.filter(territory=varied_cases[0].territory).order_by("pk"))
    assert len(rows) == len(varied_cases)
    assert selectors.case_rows(Case.objects.filter(pk__in=[])) == []
    assert {row.partner_pending for row in rows} == {True, False}
    assert {row.possible_duplicate is None for row in rows} == {True, False}
    assert {row.assigned_to for row in rows} >= {None, str(coordinator_a), "collegue@example.org"}
    # A duplicate in another territory is not shown.
    for row, case in zip(rows, varied_cases, strict=True):
        if case.possible_duplicate_of is not None and case.possible_duplicate_of.territory_id != case.territory_id:
            assert row.possible_duplicate is None


@pytest.mark.parametrize("text", ["", "plain", "<b>&amp;</b>", 'l\'équipe "x" > y < z & w', 42, None])
def test_the_lists_escape_is_htmls(text):
    assert escape(text) == html_escape(str(text))
