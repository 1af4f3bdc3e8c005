"""The coordinator's dashboard agrees with the case list: every status count and every "to do" count
is made by the list's own selectors and filters, and links to the list that shows the same cases."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from installations.enums import CaseStatus, NeedKind, NeedState
from portal.enums import Profession, Role
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


# --- the figures are kept in the cache under the territory's version: never stale -------------------


def _figures(client, **params):
    response = client.get(reverse(DASHBOARD), params)
    assert response.status_code == 200
    context = response.context_data
    return (
        context["figures"],
        {str(label): n for label, n in context["need_rows"]},
        {str(label): n for label, n, _url in context["to_do"]},
    )


def test_a_new_case_shows_on_the_next_view_of_the_dashboard(territory_a, coordinator_a, applicant, login):
    from installations.services.submission import case_submit

    CaseFactory.create_batch(2, territory=territory_a)
    client = login(coordinator_a)
    before, needs_before, _to_do = _figures(client)
    this_year, _needs, _to_do = _figures(client, year=str(timezone.localdate().year))
    case_submit(
        territory=territory_a,
        actor=applicant,
        profession=Profession.MIDWIFE,
        needs={NeedKind.CHILDCARE: ""},
        idempotency_key="",
    )
    after, needs_after, to_do = _figures(client)
    assert after.total == before.total + 1
    assert after.status_counts[CaseStatus.SUBMITTED] == before.status_counts[CaseStatus.SUBMITTED] + 1
    assert dict(after.by_profession)[Profession.MIDWIFE] == 1
    assert needs_after.get(NeedKind.CHILDCARE.label, 0) == needs_before.get(NeedKind.CHILDCARE.label, 0) + 1
    assert to_do["Nouvelles demandes à prendre en charge"] == before.status_counts[CaseStatus.SUBMITTED] + 1
    # The year's figures (kept apart) too.
    assert _figures(client, year=str(timezone.localdate().year))[0].total == this_year.total + 1


def test_a_status_change_shows_on_the_next_view_of_the_dashboard(territory_a, coordinator_a, communes_a, login):
    from installations.services.lifecycle import case_settle, case_take_charge

    case = CaseFactory(territory=territory_a)
    client = login(coordinator_a)
    before = _figures(client)[0]
    assert before.status_counts[CaseStatus.SUBMITTED] == 1
    case_take_charge(actor=coordinator_a, case=case)
    supported = _figures(client)[0]
    assert supported.status_counts[CaseStatus.SUBMITTED] == 0
    assert supported.status_counts[CaseStatus.SUPPORTED] == 1
    assert supported.median_days_to_settlement is None
    case_settle(actor=coordinator_a, case=case, settlement_date=timezone.localdate(), commune=communes_a[0])
    settled = _figures(client)[0]
    assert settled.status_counts[CaseStatus.SETTLED] == 1
    assert dict(settled.settled_per_year) == {timezone.localdate().year: 1}
    assert settled.median_days_to_settlement is not None


def test_a_need_added_or_resolved_shows_on_the_next_view_of_the_dashboard(territory_a, coordinator_a, login):
    from installations.services.needs import need_add, need_update

    case = CaseFactory(territory=territory_a, supported=True)
    referred = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES, state=NeedState.REFERRED)
    client = login(coordinator_a)
    _figures_before, needs, to_do = _figures(client)
    assert needs == {NeedKind.PREMISES.label: 1}
    assert to_do["Orientations en attente d'un partenaire"] == 1

    need_add(actor=coordinator_a, case=case, kind=NeedKind.HOUSING_LONG)
    _figures_after, needs, _to_do = _figures(client)
    assert needs == {NeedKind.PREMISES.label: 1, NeedKind.HOUSING_LONG.label: 1}

    need_update(actor=coordinator_a, need=referred, state=NeedState.DONE)
    _figures_after, _needs, to_do = _figures(client)
    assert to_do["Orientations en attente d'un partenaire"] == 0


def test_the_dashboard_reads_its_figures_once_per_change_in_a_fixed_number_of_queries(
    territory_a, coordinator_a, login, django_assert_num_queries
):
    for index in range(30):
        case = CaseFactory(territory=territory_a, supported=index % 2 == 0)
        NeedFactory(territory=territory_a, case=case, state=NeedState.REFERRED if index % 3 == 0 else NeedState.OPEN)
    client = login(coordinator_a)
    client.get(reverse(DASHBOARD))  # the session, the first computation
    # Every later view, whoever of the territory looks: session, user, territories, "to do" (2),
    # follow-ups' totals; none of the aggregates over every case and need.
    with django_assert_num_queries(WARM_QUERIES):
        assert client.get(reverse(DASHBOARD)).status_code == 200
    CaseFactory(territory=territory_a)  # a change: computed once again, then read from the cache
    with django_assert_num_queries(WARM_QUERIES + COMPUTED_QUERIES):
        client.get(reverse(DASHBOARD))
    with django_assert_num_queries(WARM_QUERIES):
        client.get(reverse(DASHBOARD))


WARM_QUERIES = 10
COMPUTED_QUERIES = 11  # dashboard_figures' seven; the list's counts, team and communes; the cases waiting on a partner
