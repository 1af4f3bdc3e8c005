"""What the admin tests of installations share: the list's URLs and cases with enough rows for an N+1."""

import datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from installations.enums import NeedKind
from portal.enums import Profession
from tests.installations.factories import CaseEventFactory, CaseFactory, MessageFactory, NeedFactory

CHANGELIST = reverse("admin:installations_case_changelist")
EXPORT = reverse("admin:installations_case_export")


def get_with_queries(client, url):
    """The response and the SQL of one request (a wrapper: each request's start empties
    connection.queries, which CaptureQueriesContext reads)."""
    statements = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        response = client.get(url)
    return response, statements


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
