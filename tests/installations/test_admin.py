"""The coordinator's admin: scoping, the case list, the export, the workflow and the inlines."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from installations.admin.cases import CaseAdmin
from installations.enums import CaseStatus, EventKind, NeedKind, NeedState
from installations.models import Case, CaseEvent, Message, Note
from installations.services.lifecycle import case_assign, case_take_charge
from installations.services.needs import need_refer
from installations.services.personal_data import case_erase_personal_data
from portal.enums import Profession, Role
from portal.notifications.models import Notification
from tests.conftest import DEAD_BROKER_URL
from tests.installations.factories import (
    CaseDocumentFactory,
    CaseEventFactory,
    CaseFactory,
    MessageFactory,
    NeedFactory,
    NoteFactory,
)
from tests.portal.factories import MembershipFactory, UserFactory

CHANGELIST = reverse("admin:installations_case_changelist")
EXPORT = reverse("admin:installations_case_export")


def change_url(case):
    return reverse("admin:installations_case_change", args=[case.pk])


def make_cases(territory, count, *, start=0, **kwargs):
    """`count` cases with three needs, two events and a message each: enough for an N+1 to show."""
    cases = []
    for i in range(start, start + count):
        case = CaseFactory(
            territory=territory,
            submitted_at=timezone.now() - datetime.timedelta(days=i),
            profession=Profession.DOCTOR_GP if i % 2 else Profession.NURSE,
            **kwargs,
        )
        for kind in (NeedKind.PREMISES, NeedKind.HOUSING_LONG, NeedKind.SPOUSE_JOB):
            NeedFactory(territory=territory, case=case, kind=kind)
        CaseEventFactory.create_batch(2, territory=territory, case=case)
        MessageFactory(territory=territory, case=case)
        cases.append(case)
    return cases


@pytest.fixture
def client_a(coordinator_a, login):
    return login(coordinator_a)


# --- isolation ----------------------------------------------------------------------------------


def test_coordinator_of_other_territory_gets_404_on_case_pages(territory_a, coordinator_b, login):
    case = CaseFactory(territory=territory_a)
    document = CaseDocumentFactory(territory=territory_a, case=case)
    client = login(coordinator_b)
    for url in (
        change_url(case),
        reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"]),
        reverse("admin:installations_case_document", args=[case.pk, document.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"])).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_partner_sees_only_the_needs_referred_to_them_and_their_cases_minimal_info(
    territory_a, coordinator_a, partner_a, login
):
    referred_case = CaseFactory(territory=territory_a, applicant_email="secret@exemple.fr")
    referred = NeedFactory(territory=territory_a, case=referred_case, kind=NeedKind.ADMIN_STEPS)
    sibling = NeedFactory(territory=territory_a, case=referred_case, kind=NeedKind.HOUSING_LONG)
    other_case = CaseFactory(territory=territory_a)
    other = NeedFactory(territory=territory_a, case=other_case, kind=NeedKind.ADMIN_STEPS)
    need_refer(actor=coordinator_a, need=referred, organisation=partner_a.organisation, referent=partner_a)
    client = login(partner_a)

    needs = client.get(reverse("admin:installations_need_changelist"))
    assert [n.pk for n in needs.context_data["cl"].result_list] == [referred.pk]
    for need in (sibling, other):
        assert client.get(reverse("admin:installations_need_change", args=[need.pk])).status_code == 404

    cases = client.get(CHANGELIST)
    assert [c.pk for c in cases.context_data["cases"]] == [referred_case.pk]
    # Their list: no applicant column, no bulk actions, no export; only the status and the reference.
    html = cases.content.decode()
    assert "secret@exemple.fr" not in html and 'name="_selected_action"' not in html and EXPORT not in html
    assert set(cases.context_data["filterset"].filters) == {"q", "status", "o"}
    page = client.get(change_url(referred_case))
    assert page.status_code == 200
    assert b"secret@exemple.fr" not in page.content
    assert not page.context_data["inline_admin_formsets"]
    assert client.get(change_url(other_case)).status_code == 404
    assert client.get(EXPORT).status_code == 403
    assert client.get(reverse("admin:installations_dashboard")).status_code == 403

    # The partner adds their part: the need's state and a note.
    response = client.post(
        reverse("admin:installations_need_change", args=[referred.pk]),
        {"state": NeedState.DONE, "note": "Immatriculation CPAM faite."},
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.state == NeedState.DONE
    assert Note.objects.get(need=referred).author == partner_a


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
    # User, MFA, memberships, team, communes, status counts, the page, its partner referrals (the
    # session comes from the cache and is no longer written at every request).
    assert len(few) <= 8, [q["sql"] for q in few.captured_queries]
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
    # worker) does not fail on the list's cache. (Sessions, kept behind the cache, are read from the
    # database here: the portal's `cached_db` sessions need Redis, a limit of their own.)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_BROKER_URL}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    case_take_charge(actor=coordinator_a, case=case)
    newcomer = CaseFactory(territory=territory_a)
    for _ in range(2):
        response = client_a.get(CHANGELIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert newcomer.reference in html and "Accompagnement en cours (1)" in html
    assert "The case list cache cannot be reached" in caplog.text


def test_a_tampered_selection_is_refused_with_a_message(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    response = client_a.post(
        CHANGELIST, {"action": "assign_to_me", ACTION_CHECKBOX_NAME: [case.pk, "1 OR 1=1"]}, follow=True
    )
    assert "La sélection reçue n&#x27;est pas valide" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


def test_case_page_query_count_does_not_grow_with_its_content(territory_a, client_a, django_assert_max_num_queries):
    small = make_cases(territory_a, 1)[0]
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(change_url(small)).status_code == 200
    assert len(few) <= 30
    big = make_cases(territory_a, 1, start=1)[0]
    for kind in (NeedKind.CHILDCARE, NeedKind.ADMIN_STEPS, NeedKind.DISCOVERY, NeedKind.FINANCIAL_AIDS):
        NeedFactory(territory=territory_a, case=big, kind=kind)
    CaseEventFactory.create_batch(20, territory=territory_a, case=big)
    MessageFactory.create_batch(10, territory=territory_a, case=big)
    NoteFactory.create_batch(10, territory=territory_a, case=big)
    CaseDocumentFactory.create_batch(3, territory=territory_a, case=big)
    with django_assert_max_num_queries(len(few)):
        assert client_a.get(change_url(big)).status_code == 200


# --- export -------------------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_holds_exactly_the_filtered_list(territory_a, territory_b, client_a, django_assert_max_num_queries):
    cases = make_cases(territory_a, 30)
    for case in cases[:12]:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUPPORTED)
    make_cases(territory_b, 3, status=CaseStatus.SUPPORTED)
    params = {"status": CaseStatus.SUPPORTED, "profession": Profession.NURSE}
    expected = [c.reference for c in cases[:12] if c.profession == Profession.NURSE]

    listed = client_a.get(CHANGELIST, params).context_data["cases"]
    assert [c.reference for c in listed] == expected
    # Session, user, memberships, the filters' choices, the page count, then one SELECT for the cases
    # and one per prefetched relation (by chunks of 500 rows).
    with django_assert_max_num_queries(16):
        rows = read_csv(client_a.get(EXPORT, params))
    assert rows[0][0] == "référence"
    assert [row[0] for row in rows[1:]] == expected
    assert "Locaux ou cabinet à reprendre" in rows[1][9]
    # The link on the list carries its filters.
    assert client_a.get(CHANGELIST, params).context_data["export_url"].startswith(EXPORT + "?")


def test_export_action_uses_the_custom_columns(territory_a, client_a):
    case = make_cases(territory_a, 1)[0]
    response = client_a.post(CHANGELIST, {"action": "export_csv", ACTION_CHECKBOX_NAME: [case.pk], "index": 0})
    rows = read_csv(response)
    assert [row[0] for row in rows] == ["référence", case.reference]


# --- actions and workflow -----------------------------------------------------------------------


def test_bulk_assign_goes_through_the_service(territory_a, coordinator_a, staff_of, client_a):
    colleague = staff_of(territory_a, "manager")
    cases = make_cases(territory_a, 3)
    response = client_a.post(
        CHANGELIST,
        {"action": f"assign_to_{colleague.pk}", ACTION_CHECKBOX_NAME: [c.pk for c in cases], "index": 0},
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("assigned_to", flat=True)) == {colleague.pk}
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 3
    assert Notification.objects.filter(recipient=colleague, kind="installations.case_assigned").count() == 3


def test_workflow_buttons_apply_transitions_and_refuse_impossible_ones(
    territory_a, coordinator_a, client_a, communes_a
):
    case = CaseFactory(territory=territory_a)
    page = client_a.get(change_url(case))
    steps = [step for step, _label, _url in page.context_data["workflow_steps"]]
    assert "take_charge" in steps and "settle" not in steps

    url = reverse("admin:installations_case_workflow", args=[case.pk, "take_charge"])
    assert client_a.post(url).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORTED and case.assigned_to == coordinator_a

    settle = reverse("admin:installations_case_workflow", args=[case.pk, "settle"])
    refused = client_a.post(settle, {"settlement_date": "2026-09-01", "settlement_commune": ""})
    assert refused.status_code == 400
    assert (
        client_a.post(settle, {"settlement_date": "2026-09-01", "settlement_commune": communes_a[0].pk}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.follow_ups.count() == 3

    again = client_a.post(url)
    assert again.status_code == 400
    assert "Impossible de passer la demande de « Installé »" in again.content.decode()


def _inline_post_data(response, **overrides):
    """The POST data of the case page as a browser would send it, with `overrides` per field name."""
    data = {}
    for inline in response.context_data["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial)
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None:
                    continue
                data[form.add_prefix(name)] = getattr(value, "pk", value)
    form = response.context_data["adminform"].form
    data["aids"] = [a.pk for a in form.initial.get("aids", [])]
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_messages_notes_and_needs_are_written_through_the_services(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    page = client_a.get(change_url(case))
    prefixes = {type(i.opts).__name__: i.formset.prefix for i in page.context_data["inline_admin_formsets"]}
    need_prefix = page.context_data["inline_admin_formsets"][0].formset.prefix
    data = _inline_post_data(
        page,
        **{
            f"{prefixes['MessageAddInline']}-0-body": "Bonjour, je vous appelle jeudi.",
            f"{prefixes['NoteAddInline']}-0-body": "Candidat sérieux.",
            f"{need_prefix}-0-state": NeedState.IN_PROGRESS,
            f"{need_prefix}-0-due_date": "2027-01-15",
        },
    )
    response = client_a.post(change_url(case), data)
    assert response.status_code == 302, response.context_data and response.context_data.get("errors")
    message = Message.objects.get(case=case)
    assert not message.from_applicant and message.author == coordinator_a
    case.refresh_from_db()
    assert case.first_contact_at == message.created_at
    assert Notification.objects.filter(recipient=case.applicant, kind="installations.message_to_applicant").exists()
    assert Note.objects.get(case=case).body == "Candidat sérieux."
    need.refresh_from_db()
    assert need.state == NeedState.IN_PROGRESS and need.due_date == datetime.date(2027, 1, 15)
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {EventKind.MESSAGE, EventKind.NOTE, EventKind.NEED_UPDATED} <= kinds


def test_referral_from_the_case_page_refuses_a_non_referent(territory_a, coordinator_a, client_a, partner_a, staff_of):
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.ADMIN_STEPS)
    page = client_a.get(change_url(case))
    prefix = page.context_data["inline_admin_formsets"][0].formset.prefix
    wrong = client_a.post(
        change_url(case),
        _inline_post_data(
            page,
            **{f"{prefix}-0-referred_to": partner_a.organisation.pk, f"{prefix}-0-referent": coordinator_a.pk},
        ),
    )
    assert wrong.status_code == 200
    assert "Sélectionnez un choix valide" in wrong.content.decode() or "référente partenaire" in wrong.content.decode()
    right = client_a.post(
        change_url(case),
        _inline_post_data(
            page, **{f"{prefix}-0-referred_to": partner_a.organisation.pk, f"{prefix}-0-referent": partner_a.pk}
        ),
    )
    assert right.status_code == 302
    need.refresh_from_db()
    assert need.referent == partner_a and need.state == NeedState.REFERRED
    assert Notification.objects.filter(recipient=partner_a, kind="installations.need_referred").exists()


def test_document_download_is_served_to_the_team(territory_a, client_a):
    document = CaseDocumentFactory(territory=territory_a)
    response = client_a.get(reverse("admin:installations_case_document", args=[document.case_id, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


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


def test_admin_pages_render_every_variable(territory_a, coordinator_a, partner_a, client_a, login):
    case = make_cases(territory_a, 1)[0]
    need = case.needs.get(kind=NeedKind.PREMISES)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    pages = [
        CHANGELIST,
        change_url(case),
        reverse("admin:installations_case_workflow", args=[case.pk, "settle"]),
        reverse("admin:installations_dashboard"),
        reverse("admin:installations_need_change", args=[need.pk]),
        reverse("admin:installations_aid_add"),
        reverse("admin:installations_opportunity_add"),
        reverse("admin:installations_followup_changelist"),
    ]
    for client in (client_a, login(partner_a)):
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                assert "!!MISSING" not in response.content.decode(), url


def test_a_need_kind_already_on_the_case_is_refused_next_to_the_field(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    page = client_a.get(change_url(case))
    prefix = page.context_data["inline_admin_formsets"][0].formset.prefix
    data = _inline_post_data(
        page, **{f"{prefix}-TOTAL_FORMS": 2, f"{prefix}-1-kind": NeedKind.PREMISES, f"{prefix}-1-state": "open"}
    )
    response = client_a.post(change_url(case), data)
    assert response.status_code == 200
    assert "Ce besoin figure déjà dans la demande." in response.content.decode()
    assert case.needs.count() == 1


def test_an_erased_case_offers_no_form_to_write(territory_a, coordinator_a, client_a):
    case = CaseFactory(territory=territory_a)
    case_erase_personal_data(actor=coordinator_a, case=case)
    page = client_a.get(change_url(case))
    assert page.status_code == 200
    assert all(not inline.has_add_permission for inline in page.context_data["inline_admin_formsets"])
    assert [step for step, _label, _url in page.context_data["workflow_steps"]] == []


def test_team_exports_the_applicant_data_without_the_notes(territory_a, coordinator_a, client_a, coordinator_b, login):
    case = CaseFactory(territory=territory_a)
    NoteFactory(territory=territory_a, case=case, body="Confidentiel")
    url = reverse("admin:installations_case_personal_data", args=[case.pk])
    response = client_a.get(url)
    assert response.status_code == 200
    assert response.json()["demandeur"]["email"] == case.applicant_email
    assert "Confidentiel" not in response.content.decode()
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DATA_EXPORTED, actor=coordinator_a).exists()
    assert login(coordinator_b).get(url).status_code == 404


def test_superuser_reaches_every_page(territory_a, territory_b, login):
    from tests.portal.factories import UserFactory

    root = UserFactory(email="root@exemple.fr", is_staff=True, is_superuser=True)
    client = login(root)
    cases = [make_cases(territory, 1)[0] for territory in (territory_a, territory_b)]
    listed = client.get(CHANGELIST).context_data["cases"]
    assert {c.pk for c in listed} == {c.pk for c in cases}
    for url in (
        change_url(cases[1]),
        reverse("admin:installations_dashboard") + f"?territory={territory_b.pk}",
        reverse("admin:installations_need_change", args=[cases[1].needs.first().pk]),
        EXPORT,
    ):
        assert client.get(url).status_code == 200, url


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
    assert descending.context_data["cases"][1].assigned_to == zola
