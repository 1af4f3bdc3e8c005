import datetime as dt

import pytest
from django.utils import timezone

from governance import selectors
from governance.models import (
    ActionSheet,
    AnnualReport,
    Body,
    Deliberation,
    Mandate,
    Meeting,
    ProgressNote,
    WorkingGroup,
)
from portal import demo

pytestmark = pytest.mark.django_db
MODELS = (Body, Mandate, Meeting, Deliberation, WorkingGroup, ProgressNote, ActionSheet, AnnualReport)


def test_demo_builds_the_cotentin_council_and_the_agen_action_plan_idempotently():
    territories = demo.build()
    counts = {model.__name__: model.objects.count() for model in MODELS}
    demo.build()
    assert {model.__name__: model.objects.count() for model in MODELS} == counts

    cotentin, agen = territories["cotentin"], territories["agen"]
    council = Body.objects.for_territory(cotentin).get(name="Conseil de santé du Cotentin")
    assert council.colleges.get().name == "Collège des professionnels"
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        plenaries = Meeting.objects.for_territory(cotentin).filter(
            body=council, kind="plenary", status="held", starts_at__year=year
        )
        assert plenaries.count() == 2
        assert all(m.minutes_published_at for m in plenaries)
        assert all(selectors.quorum_status(m).reached for m in plenaries)
    assert WorkingGroup.objects.for_territory(cotentin).count() == 3
    references = set(
        Deliberation.objects.for_territory(cotentin).filter(year=this_year).values_list("number", flat=True)
    )
    assert references == {1, 2, 3}
    former = selectors.composition_on(council, dt.date(2024, 6, 1)).filter(person_name__contains="Anquetil")
    assert former.exists()
    assert not selectors.composition_on(council, dt.date(2025, 6, 1)).filter(person_name__contains="Anquetil")
    report = AnnualReport.objects.for_territory(cotentin).get(year=this_year - 1)
    assert report.document is not None and report.noted_at is not None
    assert ActionSheet.objects.for_territory(agen).count() == 10
    assert selectors.year_figures(territory=agen, year=this_year)["actions_in_progress"] == 5
