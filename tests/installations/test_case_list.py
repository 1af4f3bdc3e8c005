"""The coordinators' case list in the admin: counts, filters, sorts, pages, actions, the index it reads."""

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from installations.admin.cases import CaseAdmin
from installations.enums import CaseStatus, NeedKind
from installations.models import Case
from installations.services.lifecycle import case_assign, case_take_charge
from installations.services.needs import need_refer
from portal.enums import Profession, Role
from tests.conftest import DEAD_BROKER_URL
from tests.installations.admin_helpers import CHANGELIST, change_url, make_cases
from tests.installations.factories import (
    CaseFactory,
    NeedFactory,
)
from tests.portal.factories import MembershipFactory, UserFactory

# --- the case list ------------------------------------------------------------------------------


def test_case_list_counts_statuses_and_highlights_cases_without_answer(territory_a, client_a, settings):
    settings.INSTALLATIONS_NO_ANSWER_DAYS = 7
    late = CaseFactory(
        territory=territory_a,
        submitted_at=timezone.now() - datetime.timedelta(days=12),
        awaiting_reply_since=timezone.now() - datetime.timedelta(days=12),
    )
    CaseFactory(territory=territory_a, supported=True)
    CaseFactory(territory=territory_a, waiting=True)
    response = client_a.get(CHANGELIST)
    content = response.content.decode()
    assert "Nouvelle demande (1)" in content and "Accompagnement en cours (1)" in content
    assert content.count('class="inst-no-answer"') == 1
    assert "admin_extra/installations.css" in content
    no_answer = client_a.get(CHANGELIST, {"waiting_on": "no_answer"})
    assert [c.pk for c in no_answer.context_data["cases"]] == [late.pk]


def test_case_list_filters_by_need_commune_assignee_and_age(territory_a, coordinator_a, client_a, communes_a):
    housing = CaseFactory(territory=territory_a, target_communes=[communes_a[1]])
    NeedFactory(territory=territory_a, case=housing, kind=NeedKind.HOUSING_LONG)
    old = CaseFactory(territory=territory_a, submitted_at=timezone.now() - datetime.timedelta(days=200))
    NeedFactory(territory=territory_a, case=old, kind=NeedKind.PREMISES)
    case_assign(actor=coordinator_a, case=old, coordinator=coordinator_a)

    def listed(**params):
        return [c.pk for c in client_a.get(CHANGELIST, params).context_data["cases"]]

    assert listed(need=NeedKind.HOUSING_LONG) == [housing.pk]
    assert listed(commune=str(communes_a[1].pk)) == [housing.pk]
    assert listed(assigned="me") == [old.pk]
    assert listed(assigned="none") == [housing.pk]
    assert listed(age="old") == [old.pk]
    assert listed(age="7") == [housing.pk]


def test_case_list_query_count_does_not_grow_with_rows(territory_a, client_a, django_assert_max_num_queries):
    make_cases(territory_a, 3)
    client_a.get(CHANGELIST)  # the session's expiry was just pushed back: not written again for a minute
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(CHANGELIST).status_code == 200
    # Session, user, MFA, memberships, the page with its partner referrals: no more than the
    # benchmark's one-query floor view (session, user, MFA, territory, rows). The territory's status
    # counts, team and communes come from the cache in one round trip (8 queries before: the team,
    # the communes and the partner referrals were queries of their own).
    assert len(few) <= 5, [q["sql"] for q in few.captured_queries]
    pinned = len(few)  # (the next request empties Django's log of queries)
    make_cases(territory_a, 40, start=3)
    client_a.get(CHANGELIST, {"status": CaseStatus.SUPPORTED})  # the counts, changed, cached again
    with django_assert_max_num_queries(pinned):
        response = client_a.get(CHANGELIST, {"o": "-contact"})
    assert len(response.context_data["cases"]) == CaseAdmin.list_per_page
    # Other filters than the status: no COUNT (the page is read with one row more), as many queries.
    with CaptureQueriesContext(connection) as filtered:
        client_a.get(CHANGELIST, {"status": CaseStatus.SUBMITTED, "need": NeedKind.PREMISES, "q": "TST"})
    assert len(filtered) <= pinned
    assert not [q for q in filtered.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_filters_offer_the_team_and_communes_as_they_are_now(territory_a, coordinator_a, client_a, communes_a):
    # The team and the communes are cached with the territory's counts: any change shows at once.
    def offered(name):
        html = client_a.get(CHANGELIST).content.decode()
        return re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)

    colleague = UserFactory(first_name="Anne", last_name="Lefort", staff=True)
    assert "Lefort" not in offered("assigned") and "Valognes" in offered("commune")
    membership = MembershipFactory(user=colleague, territory=territory_a, role=Role.COORDINATOR)
    assert "Anne Lefort" in offered("assigned")
    colleague.last_name = "Lefort-Martin"
    colleague.save()
    assert "Anne Lefort-Martin" in offered("assigned")
    membership.delete()
    assert "Lefort" not in offered("assigned")
    communes_a[1].name = "Valognes-la-Neuve"
    communes_a[1].save()
    assert "Valognes-la-Neuve" in offered("commune")
    territory_a.communes.remove(communes_a[1])
    assert "Valognes" not in offered("commune")
    communes_a[1].territories.add(territory_a)
    assert "Valognes-la-Neuve" in offered("commune")


def test_filtered_list_pages_without_counting_and_says_more_than(territory_a, client_a):
    make_cases(territory_a, 30)
    first = client_a.get(CHANGELIST, {"need": NeedKind.PREMISES})
    html = first.content.decode()
    assert len(first.context_data["cases"]) == 25
    assert "Plus de 25 demandes" in html and 'rel="next"' in html and "Page 1</span>" in html
    second = client_a.get(CHANGELIST, {"need": NeedKind.PREMISES, "page": "2"})
    html = second.content.decode()
    assert len(second.context_data["cases"]) == 5
    assert "30 demandes" in html and "Page 2 sur 2" in html and 'rel="next"' not in html
    # A page past the end (a stale link) shows the last one, as elsewhere.
    assert (
        client_a.get(CHANGELIST, {"need": NeedKind.PREMISES, "page": "9"}).context_data["cases"]
        == (second.context_data["cases"])
    )


def test_case_list_rows_show_each_case_escaped_with_its_link(territory_a, coordinator_a, partner_a, client_a):
    cases = make_cases(territory_a, 4)
    cases[0].reference = "TST-<&>"
    cases[0].save(update_fields=["reference"])
    need = cases[1].needs.get(kind=NeedKind.PREMISES)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    Case.objects.filter(pk=cases[1].pk).update(awaiting_reply_since=None)
    case_assign(actor=coordinator_a, case=cases[2], coordinator=coordinator_a)
    html = client_a.get(CHANGELIST).content.decode()
    rows = {
        case.pk: re.search(rf'<tr><td class="action-checkbox">[^\n]*?value="{case.pk}".*?</tr>', html).group(0)
        for case in cases
    }
    assert "TST-&lt;&amp;&gt;" in rows[cases[0].pk] and "TST-<&>" not in html
    assert f'href="{change_url(cases[0])}"' in rows[cases[0].pk]
    assert "<td>partenaire</td>" in rows[cases[1].pk]
    assert f"<td>{coordinator_a}</td>" in rows[cases[2].pk]
    assert "<td>Infirmier ou infirmière</td>" in rows[cases[0].pk]
    assert "il y a 3 jours" in rows[cases[3].pk]
    assert "aujourd&#x27;hui" in rows[cases[0].pk]


def test_case_list_sorts_pages_and_keeps_the_other_filters(territory_a, client_a):
    cases = make_cases(territory_a, 30)
    by_reference = sorted(cases, key=lambda c: c.reference)
    response = client_a.get(CHANGELIST, {"o": "reference", "profession": Profession.NURSE})
    listed = response.context_data["cases"]
    assert [c.pk for c in listed] == [c.pk for c in by_reference if c.profession == Profession.NURSE]
    html = response.content.decode().replace("&amp;", "&")
    # The header of the sorted column says so, and its link sorts the other way.
    assert re.search(r'<th scope="col" aria-sort="ascending"[^>]*>\s*<a href="\?[^"]*o=-reference', html)
    assert "profession=nurse" in re.search(r'<a href="(\?[^"]*o=-reference[^"]*)"', html).group(1)
    second = client_a.get(CHANGELIST, {"page": "2"})
    assert [c.pk for c in second.context_data["cases"]] == [c.pk for c in cases[25:]]
    assert "Page 2 sur 2" in second.content.decode()
    # A page that does not exist shows the last one rather than an error.
    assert client_a.get(CHANGELIST, {"page": "99"}).context_data["cases"] == second.context_data["cases"]


def test_a_wrong_filter_is_refused_next_to_its_field_and_the_others_still_apply(territory_a, communes_a, client_a):
    nurse = CaseFactory(territory=territory_a, profession=Profession.NURSE)
    CaseFactory(territory=territory_a, profession=Profession.DOCTOR_GP)
    response = client_a.get(CHANGELIST, {"commune": "999999", "profession": Profession.NURSE, "o": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<select[^>]*name="commune"[^>]*aria-invalid="true"', html) or re.search(
        r'<select[^>]*aria-invalid="true"[^>]*name="commune"', html
    )
    assert 'id="id_commune_error"' in html and "Sélectionnez un choix valide" in html
    assert re.search(r'<option value="nurse" selected>', html)
    assert [c.pk for c in response.context_data["cases"]] == [nurse.pk]


def test_status_counts_follow_the_cases_once_committed(
    territory_a, coordinator_a, client_a, django_capture_on_commit_callbacks
):
    case = CaseFactory(territory=territory_a)
    assert "Nouvelle demande (1)" in client_a.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_take_charge(actor=coordinator_a, case=case)
    html = client_a.get(CHANGELIST).content.decode()
    assert "Nouvelle demande (0)" in html and "Accompagnement en cours (1)" in html


def test_the_list_shows_each_change_at_once_and_keeps_no_page_in_the_cache(
    territory_a, territory_b, coordinator_a, client_a, django_capture_on_commit_callbacks
):
    # Rendered pages are not kept (they held personal data and only served reloads of one URL):
    # every view is rendered; only the per-status counts come from the cache.
    case = CaseFactory(territory=territory_a)
    client_a.get(CHANGELIST)  # the browser gets its CSRF cookie
    client_a.get(CHANGELIST)
    assert hasattr(client_a.get(CHANGELIST), "context_data")  # rendered again
    assert not cache._cache.get_client().keys("*case-list*")
    newcomer = CaseFactory(territory=territory_a)
    assert newcomer.reference in client_a.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_take_charge(actor=coordinator_a, case=case)
    assert "Accompagnement en cours (1)" in client_a.get(CHANGELIST).content.decode()
    assert case.reference not in client_a.get(CHANGELIST, {"status": CaseStatus.SUBMITTED}).content.decode()


def test_the_list_posts_its_actions_and_shows_their_message_once(territory_a, coordinator_a, staff_of, client_a):
    colleague = staff_of(territory_a, "manager")
    case = CaseFactory(territory=territory_a)
    client_a.handler.enforce_csrf_checks = True
    page = client_a.get(CHANGELIST)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client_a.post(
        CHANGELIST,
        {"csrfmiddlewaretoken": token, "action": f"assign_to_{colleague.pk}", ACTION_CHECKBOX_NAME: [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == colleague
    assert "1 demande confiée à" in client_a.get(CHANGELIST).content.decode()
    assert "1 demande confiée à" not in client_a.get(CHANGELIST).content.decode()


def test_without_redis_cases_are_still_saved_and_the_list_is_computed(
    territory_a, coordinator_a, client_a, settings, caplog
):
    case = CaseFactory(territory=territory_a)
    # The cache (Redis) stops answering: nothing to connect to. Saving a case (in a request or in a
    # worker) does not fail on the list's cache.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": DEAD_BROKER_URL}}
    case_take_charge(actor=coordinator_a, case=case)
    newcomer = CaseFactory(territory=territory_a)
    for _ in range(2):
        response = client_a.get(CHANGELIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert newcomer.reference in html and "Accompagnement en cours (1)" in html
    assert "Cache unreachable" in caplog.text


def test_a_tampered_selection_is_refused_with_a_message(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    response = client_a.post(
        CHANGELIST, {"action": "assign_to_me", ACTION_CHECKBOX_NAME: [case.pk, "1 OR 1=1"]}, follow=True
    )
    assert "La sélection reçue n&#x27;est pas valide" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


# --- index --------------------------------------------------------------------------------------


def _explain(sql, params):
    with connection.cursor() as cursor:
        # The test tables are small, so the planner would rather scan and sort them: forbid that, and
        # a Sort left in the plan means that no index can give the page in order.
        cursor.execute("ANALYZE installations_case")
        for setting in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("params", "index"), [({"status": "supported"}, "inst_case_status_date"), ({}, "inst_case_date")]
)
def test_the_coordinators_list_reads_its_page_through_an_index_without_sorting(territory_a, client_a, params, index):
    Case.objects.bulk_create(
        [
            CaseFactory.build(
                territory=territory_a,
                applicant=None,
                status=CaseStatus.values[i % len(CaseStatus.values)],
                submitted_at=timezone.now() - datetime.timedelta(hours=i),
            )
            for i in range(400)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        assert client_a.get(CHANGELIST, params).status_code == 200
    [page_sql] = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "installations_case"' in q["sql"] and f"LIMIT {CaseAdmin.list_per_page}" in q["sql"]
    ]
    plan = _explain(page_sql, ())
    assert index in plan, plan
    # The rows come out of the index already in date order: no sort of the territory's cases.
    assert "Sort" not in plan.split(index)[0], plan


def test_case_list_has_a_short_title_and_says_who_must_answer(territory_a, client_a):
    html = client_a.get(CHANGELIST).content.decode()
    assert "<h1>Demandes d'accompagnement</h1>" in html.replace("&#x27;", "'")
    assert '<label for="id_waiting_on">Qui doit répondre</label>' in html


def test_sort_by_coordinator_orders_by_last_name_former_members_included(territory_a, coordinator_a, client_a):
    # The sort reads the ids of a page first, the names written into the query: a former member of
    # the team (no membership any more) is still sorted by their name, nobody assigned comes last.
    zola = UserFactory(last_name="Zola", staff=True)
    abel = UserFactory(last_name="Abel", staff=True)
    MembershipFactory(user=zola, territory=territory_a, role=Role.COORDINATOR)
    former = UserFactory(last_name="Moreau", staff=True)
    nobody = CaseFactory(territory=territory_a)
    by_zola, by_former, by_abel = (CaseFactory(territory=territory_a, assigned_to=u) for u in (zola, former, abel))
    ascending = client_a.get(CHANGELIST, {"o": "assigned"}).context_data["cases"]
    assert [c.pk for c in ascending] == [by_abel.pk, by_former.pk, by_zola.pk, nobody.pk]
    descending = client_a.get(CHANGELIST, {"o": "-assigned", "status": CaseStatus.SUBMITTED})
    assert [c.pk for c in descending.context_data["cases"]] == [nobody.pk, by_zola.pk, by_former.pk, by_abel.pk]
    # (The list's rows carry the name it shows, not the person: selectors.CaseRow.)
    assert descending.context_data["cases"][1].assigned_to == str(zola)


@pytest.mark.parametrize("order", ["assigned", "-assigned"])
def test_a_partner_sorts_by_coordinator_when_no_case_they_see_is_assigned(
    territory_a, coordinator_a, partner_a, login, order
):
    # The sort by coordinator wrote a bare NULL into the ORDER BY when it knew nobody: a 500.
    cases = make_cases(territory_a, 3)
    for case in cases[:2]:
        need = case.needs.get(kind=NeedKind.PREMISES)
        need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    response = login(partner_a).get(CHANGELIST, {"o": order})
    assert response.status_code == 200
    listed = [case.pk for case in response.context_data["cases"]]
    expected = sorted(case.pk for case in cases[:2])
    assert listed == (expected if order == "assigned" else expected[::-1])
