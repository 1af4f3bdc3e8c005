"""The partner referent's own pages (installations/admin/referrals.py): what was referred to them with
due dates, their answer, the applicant's contact only with consent, the thread with the coordinator."""

import datetime

from django.urls import reverse
from django.utils import timezone

from installations.enums import NeedKind, NeedState, ReferralAnswer
from installations.models import CaseEvent, Note
from installations.services.needs import need_refer
from portal.enums import Role
from portal.notifications.models import Notification
from tests.form_data import form_data
from tests.installations.admin_helpers import change_url, get_with_queries
from tests.installations.factories import CaseFactory, NeedFactory
from tests.portal.factories import MembershipFactory, UserFactory

REFERRALS = reverse("admin:installations_referrals")


def referral_url(need):
    return reverse("admin:installations_referral", args=[need.pk])


def referred(territory, coordinator, partner, *, consent=False, **need_kwargs):
    case = CaseFactory(territory=territory, supported=True, assigned_to=coordinator, applicant_phone="06 12 34 56 78")
    need = NeedFactory(territory=territory, case=case, **{"kind": NeedKind.ADMIN_STEPS, **need_kwargs})
    need_refer(
        actor=coordinator,
        need=need,
        organisation=partner.organisation,
        referent=partner,
        message="Pouvez-vous l'accompagner ?",
        contact_consent=consent,
    )
    return need


def test_partner_lists_what_was_referred_to_them_with_due_dates(
    territory_a, coordinator_a, partner_a, login, django_assert_max_num_queries
):
    late = referred(territory_a, coordinator_a, partner_a, due_date=timezone.localdate() - datetime.timedelta(days=2))
    for _ in range(12):
        referred(territory_a, coordinator_a, partner_a, due_date=timezone.localdate() + datetime.timedelta(days=9))
    someone_else = UserFactory(email="autre@exemple.fr", staff=True)
    MembershipFactory(user=someone_else, territory=territory_a, role=Role.PARTNER, organisation=partner_a.organisation)
    someone_else.organisation = partner_a.organisation
    not_mine = referred(territory_a, coordinator_a, someone_else)
    client = login(partner_a)
    with django_assert_max_num_queries(10):
        page = client.get(REFERRALS)
    assert page.status_code == 200
    # Pinned, whatever the number of referrals: thirteen cost what one costs (session, user, second
    # factor, memberships, the referrals, the staff access log's INSERT).
    _page, many = get_with_queries(client, REFERRALS)
    one_partner = UserFactory(email="seul@exemple.fr", staff=True)
    MembershipFactory(user=one_partner, territory=territory_a, role=Role.PARTNER, organisation=partner_a.organisation)
    one_partner.organisation = partner_a.organisation
    referred(territory_a, coordinator_a, one_partner)
    one_client = login(one_partner)
    one_client.get(REFERRALS)
    one_page, one = get_with_queries(one_client, REFERRALS)
    assert len(one_page.context_data["waiting"]) == 1
    assert len(one) == len(many) == 6, many
    html = page.content.decode()
    assert len(page.context_data["waiting"]) == 13 and late.case.reference in html
    assert "(dépassée)" in html and not_mine.case.reference not in html
    assert client.get(referral_url(not_mine)).status_code == 404


def test_the_team_and_other_territories_do_not_open_the_partner_pages(
    territory_a, territory_b, coordinator_a, partner_a, staff_of, login
):
    need = referred(territory_a, coordinator_a, partner_a)
    assert login(coordinator_a).get(REFERRALS).status_code == 403
    partner_b = staff_of(territory_b, Role.PARTNER)
    assert login(partner_b).get(referral_url(need)).status_code == 404


def test_applicant_contact_is_shown_only_with_consent(territory_a, coordinator_a, partner_a, login):
    without = referred(territory_a, coordinator_a, partner_a)
    with_consent = referred(territory_a, coordinator_a, partner_a, consent=True, kind=NeedKind.FINANCIAL_AIDS)
    client = login(partner_a)
    hidden = client.get(referral_url(without)).content.decode()
    assert without.case.applicant_email not in hidden and "06 12 34 56 78" not in hidden
    assert "n'a pas donné son accord" in hidden.replace("&#x27;", "'")
    shown = client.get(referral_url(with_consent)).content.decode()
    assert with_consent.case.applicant_email in shown and "06 12 34 56 78" in shown


def test_partner_declines_with_a_reason_and_the_coordinator_sees_it_on_the_need(
    territory_a, coordinator_a, partner_a, login, client_a
):
    need = referred(territory_a, coordinator_a, partner_a)
    client = login(partner_a)
    page = client.get(referral_url(need)).content.decode()
    refused = client.post(referral_url(need), form_data(page, form_id="answer") | {"answer-answer": "declined"})
    assert refused.status_code == 400
    assert "Indiquez pourquoi vous ne pouvez pas prendre ce besoin en charge." in refused.content.decode()
    answer = form_data(page, form_id="answer") | {"answer-answer": "declined", "answer-reason": "Hors de notre champ."}
    assert client.post(referral_url(need), answer).status_code == 302
    need.refresh_from_db()
    assert (need.referral_answer, need.state) == (ReferralAnswer.DECLINED, NeedState.OPEN)
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.referral_answered").exists()
    card = client_a.get(change_url(need.case)).content.decode()
    assert "Refusé" in card and "Hors de notre champ." in card


def test_partner_accepts_writes_to_the_coordinator_and_settles_the_need(
    territory_a, coordinator_a, partner_a, login, client_a
):
    need = referred(territory_a, coordinator_a, partner_a)
    client = login(partner_a)
    page = client.get(referral_url(need)).content.decode()
    assert "Pouvez-vous l&#x27;accompagner ?" in page  # the coordinator's message opens the thread
    client.post(referral_url(need), form_data(page, form_id="answer") | {"answer-answer": "accepted"})
    need.refresh_from_db()
    assert need.referral_answer == ReferralAnswer.ACCEPTED and need.referral_answered_by == partner_a
    assert CaseEvent.objects.filter(need=need, summary__contains="accepte").exists()

    page = client.get(referral_url(need)).content.decode()
    thread = form_data(page, form_id="thread-form") | {"thread-body": "Rendez-vous pris le 12."}
    assert client.post(referral_url(need), thread).status_code == 302
    assert Note.objects.filter(need=need, author=partner_a, body="Rendez-vous pris le 12.").exists()
    assert Notification.objects.filter(recipient=coordinator_a, kind="installations.referral_message").exists()

    state = form_data(page, form_id="state") | {"state-state": NeedState.DONE}
    assert client.post(referral_url(need), state).status_code == 302
    need.refresh_from_db()
    assert need.state == NeedState.DONE
    assert "Rendez-vous pris le 12." in client_a.get(change_url(need.case)).content.decode()


def test_the_referral_notification_leads_to_the_partners_page(territory_a, coordinator_a, partner_a):
    need = referred(territory_a, coordinator_a, partner_a)
    notification = Notification.objects.get(recipient=partner_a, kind="installations.need_referred")
    assert notification.url == referral_url(need)


def test_partner_lands_on_their_referrals_of_the_territory_their_home_names(
    territory_a, territory_b, coordinator_a, partner_a, login
):
    here = referred(territory_a, coordinator_a, partner_a)
    client = login(partner_a)
    home = client.get("/accueil/")
    assert home.status_code == 302 and home["Location"] == f"{REFERRALS}?territory={territory_a.pk}"
    MembershipFactory(user=partner_a, territory=territory_b, role=Role.PARTNER, organisation=partner_a.organisation)
    listed = client.get(REFERRALS, {"territory": territory_b.pk}).context_data
    assert listed["waiting"] == []
    assert [n.pk for n in client.get(REFERRALS, {"territory": territory_a.pk}).context_data["waiting"]] == [here.pk]


def test_the_partners_reads_of_referrals_are_in_the_access_log(territory_a, coordinator_a, partner_a, login):
    from portal.privacy.enums import AccessKind
    from portal.privacy.models import AccessLog

    need = referred(territory_a, coordinator_a, partner_a, consent=True)
    client = login(partner_a)
    assert client.get(REFERRALS).status_code == 200
    page = client.get(referral_url(need))
    assert page.status_code == 200 and need.case.applicant_email in page.content.decode()  # the contact
    rows = list(AccessLog.objects.order_by("pk").values_list("user", "territory", "kind", "object_ref", "object_id"))
    assert rows == [
        (partner_a.pk, territory_a.pk, AccessKind.REFERRAL, "besoins orientés", None),
        (
            partner_a.pk,
            territory_a.pk,
            AccessKind.REFERRAL,
            f"{need.case.reference} — {need.get_kind_display()}",
            need.pk,
        ),
    ]
    # Another partner's need is a 404 and no read.
    AccessLog.objects.all().delete()
    other = UserFactory(email="autre-partenaire@exemple.fr", staff=True)
    MembershipFactory(user=other, territory=territory_a, role=Role.PARTNER, organisation=partner_a.organisation)
    assert login(other).get(referral_url(need)).status_code == 404
    assert not AccessLog.objects.exists()
