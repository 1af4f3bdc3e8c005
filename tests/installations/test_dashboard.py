"""The coordinator's dashboard agrees with the case list: every status count and every "to do" count
is made by the list's own selectors and filters, and links to the list that shows the same cases."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus, NeedState
from portal.enums import Role
from portal.models import Membership, Territory
from tests.installations.factories import CaseFactory, FollowUpFactory, NeedFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:installations_dashboard"


def _listed(client, url):
    """The cases the list shows at `url` (the test territories hold fewer than a page)."""
    response = client.get(url)
    assert response.status_code == 200
    return len(response.context_data["cases"])


def _assert_dashboard_agrees_with_the_list(client):
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    rows = response.context_data["status_rows"] + response.context_data["to_do"][:-1]
    assert rows
    for label, n, url in rows:
        assert _listed(client, url) == n, f"{label}: the dashboard says {n}"
        assert f'href="{url}"'.replace("&", "&amp;") in response.content.decode()
    return response


def test_every_count_of_the_dashboard_equals_the_list_it_links_to(territory_a, territory_b, coordinator_a, login):
    old = timezone.now() - datetime.timedelta(days=40)
    CaseFactory.create_batch(3, territory=territory_a, unconfirmed=True)
    CaseFactory.create_batch(2, territory=territory_a)  # submitted today
    CaseFactory(territory=territory_a, submitted_at=old)  # no answer for 40 days
    referred = CaseFactory(territory=territory_a, supported=True)
    NeedFactory(territory=territory_a, case=referred, state=NeedState.REFERRED)
    CaseFactory(territory=territory_a, settled=True)
    CaseFactory(territory=territory_a, waiting=True)
    CaseFactory.create_batch(4, territory=territory_b, unconfirmed=True)  # another territory: never counted

    response = _assert_dashboard_agrees_with_the_list(login(coordinator_a))
    counts = {label: n for label, n, _url in response.context_data["status_rows"]}
    assert counts[CaseStatus.UNCONFIRMED.label] == 3  # the dashboard said 0 while the list said 3
    assert counts[CaseStatus.SUBMITTED.label] == 3
    to_do = {str(label): n for label, n, _url in response.context_data["to_do"]}
    assert to_do["Nouvelles demandes à prendre en charge"] == 3
    assert to_do["Orientations en attente d'un partenaire"] == 1
    assert next(n for label, n in to_do.items() if label.startswith("Sans réponse")) == 1


def test_due_follow_ups_are_counted_and_listed_alike(territory_a, coordinator_a, login):
    today = timezone.localdate()
    settled = CaseFactory(territory=territory_a, settled=True)
    FollowUpFactory(territory=territory_a, case=settled, years=1, due_date=today - datetime.timedelta(days=3))
    FollowUpFactory(territory=territory_a, case=settled, years=3, due_date=today + datetime.timedelta(days=700))
    yesterday = today - datetime.timedelta(days=1)
    FollowUpFactory(territory=territory_a, case=settled, years=5, due_date=yesterday, done_at=timezone.now())
    client = login(coordinator_a)
    label, n, url = client.get(reverse(DASHBOARD)).context_data["to_do"][-1]
    assert n == 1
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.context_data["cl"].result_count == 1


def test_year_on_year_comparison(territory_a, coordinator_a, login):
    year = timezone.localdate().year
    for _ in range(4):
        CaseFactory(territory=territory_a, submitted_at=timezone.now().replace(year=year - 1))
    for _ in range(5):
        CaseFactory(territory=territory_a, submitted_at=timezone.now().replace(month=1, day=15))
    response = login(coordinator_a).get(reverse(DASHBOARD), {"year": str(year)})
    assert response.context_data["previous"].requests == 4
    assert response.context_data["requests_change"] == "+25\u202f%"
    assert f"4 en {year - 1}, +25\u202f%" in response.content.decode()


def test_the_demo_dashboards_agree_with_their_lists(login):
    call_command("seed_demo", force=True, stdout=StringIO())
    for territory in Territory.objects.all():
        coordinator = Membership.objects.get(territory=territory, role=Role.COORDINATOR).user
        _assert_dashboard_agrees_with_the_list(login(coordinator))


def test_chart_labels_do_not_overlap_over_three_years(territory_a, coordinator_a, login):
    start = timezone.now() - datetime.timedelta(days=3 * 365)
    CaseFactory(territory=territory_a, submitted_at=start)
    CaseFactory(territory=territory_a)
    chart = login(coordinator_a).get(reverse(DASHBOARD)).context_data["chart"]
    labels = [part.split("<")[0] for part in chart.split('fill="#444">')[1:]]
    months = [label for label in labels if "/" in label]
    assert 6 <= len(months) <= 20  # about 37 months, a label every few so that they fit
