""" "No answer for N days" is one rule (Case.objects.without_answer_for): the case list's filter, its
highlight and the coordinator's reminders agree on which cases it holds."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus
from installations.models import Case
from installations.services.reminders import cases_remind_waiting
from tests.installations.factories import CaseFactory

CHANGELIST = reverse("admin:installations_case_changelist")


def test_cases_without_answer_for_n_days_are_the_same_in_the_filter_the_highlight_and_the_reminder(
    territory_a, territory_b, coordinator_a, login, settings
):
    settings.INSTALLATIONS_NO_ANSWER_DAYS = 7
    now = timezone.now()

    def ago(days):
        return now - datetime.timedelta(days=days)

    late_new = CaseFactory(territory=territory_a, submitted_at=ago(8), awaiting_reply_since=ago(8))
    # The applicant wrote back 9 days ago on a case the team follows.
    late_followed = CaseFactory(
        territory=territory_a, supported=True, submitted_at=ago(40), awaiting_reply_since=ago(9)
    )
    CaseFactory(territory=territory_a, submitted_at=ago(6), awaiting_reply_since=ago(6))  # not late yet
    CaseFactory(territory=territory_a, supported=True, submitted_at=ago(30))  # the team answered
    # The applicant's turn (recently asked): however old their last message, the team owes nothing.
    CaseFactory(
        territory=territory_a,
        waiting=True,
        submitted_at=ago(30),
        awaiting_reply_since=ago(20),
        status_changed_at=ago(1),
    )
    CaseFactory(territory=territory_a, settled=True, submitted_at=ago(200))
    CaseFactory(territory=territory_a, unconfirmed=True, submitted_at=ago(3))
    CaseFactory(territory=territory_b, submitted_at=ago(10), awaiting_reply_since=ago(10))  # another territory
    late = {late_new.pk, late_followed.pk}

    assert set(Case.objects.for_territory(territory_a).without_answer_for().values_list("pk", flat=True)) == late
    # The per-row rule of the "who must answer" column agrees with the queryset's.
    assert {c.pk for c in Case.objects.for_territory(territory_a) if c.awaiting_answer} == set(
        Case.objects.for_territory(territory_a).awaiting_answer().values_list("pk", flat=True)
    )

    client = login(coordinator_a)
    filtered = client.get(CHANGELIST, {"waiting_on": "no_answer"})
    assert {c.pk for c in filtered.context_data["cases"]} == late

    page = client.get(CHANGELIST).content.decode()
    highlighted = {
        reference
        for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S)
        if 'class="inst-no-answer"' in row
        for reference in re.findall(r'class="field-reference"><a [^>]*>([^<]+)</a>', row)
    }
    assert highlighted == {late_new.reference, late_followed.reference}

    assert cases_remind_waiting(territory=territory_a, now=now) == len(late)
    reminded = set(Case.objects.for_territory(territory_a).filter(last_reminder_at=now).values_list("pk", flat=True))
    assert reminded == late
    assert not Case.objects.filter(last_reminder_at=now).exclude(
        status__in=[CaseStatus.SUBMITTED, CaseStatus.SUPPORTED]
    )


def test_the_number_of_days_is_the_setting_and_can_be_asked_for(territory_a, settings):
    settings.INSTALLATIONS_NO_ANSWER_DAYS = 3
    now = timezone.now()
    four_days = CaseFactory(territory=territory_a, awaiting_reply_since=now - datetime.timedelta(days=4))
    assert list(Case.objects.without_answer_for(now=now)) == [four_days]
    assert list(Case.objects.without_answer_for(5, now=now)) == []
    flagged = Case.objects.with_no_answer_flag(now=now).get(pk=four_days.pk)
    assert flagged.no_answer is True
