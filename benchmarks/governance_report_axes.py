"""Training and prevention data of the annual report benchmark (benchmarks/governance_report.py), so
that the report it times carries every axis' section, as a territory running all four axes has.

Sizes of a large territory's year: 60 host sites over 30 communes, 120 offers (a third of them
joint programmes over two sites) and 300 placements over the year's two semesters, a third of
them needing housing; 45 former trainees who later settled (a settled installation case after
their placement); 40 training sessions (continuing education, supervisor training, welcome
evenings) with 25 registrations each and four in five present; two scholarship programmes with 80
applications (granted, refused, pending); 30 school outreach actions; on the prevention side 40
initiatives in the inventory, 60 agenda events with their attendance and 20 service sanitaire
interventions. Built through the apps' test factories (no logic copied here).
"""

from __future__ import annotations

import datetime as dt


def load_axes(territory, *, year: int, rng) -> None:
    from django.utils import timezone

    from portal.events.enums import RegistrationStatus
    from prevention.enums import Theme
    from tests.events.factories import RegistrationFactory
    from tests.installations.factories import CaseFactory
    from tests.portal.factories import CommuneFactory, UserFactory
    from tests.prevention.factories import (
        AgendaDetailsFactory,
        InitiativeFactory,
        InterventionFactory,
        StudentTeamFactory,
    )
    from tests.training.factories import HostSiteFactory, OfferFactory, OfferSiteFactory, PlacementFactory
    from tests.training_programmes.factories import (
        OutreachActionFactory,
        ScholarshipApplicationFactory,
        ScholarshipProgrammeFactory,
        SessionFactory,
    )
    from training.enums_programmes import SessionTheme

    communes = [CommuneFactory() for _ in range(30)]
    territory.communes.add(*communes)
    sites = [HostSiteFactory(territory=territory, commune=communes[i % 30]) for i in range(60)]
    semesters = ((f"{year - 1}-hiver", dt.date(year - 1, 11, 2), dt.date(year, 4, 30)),)
    semesters += ((f"{year}-ete", dt.date(year, 5, 2), dt.date(year, 10, 31)),)
    offers = []
    for i in range(120):
        code = semesters[i % 2][0]
        offer = OfferFactory(territory=territory, with_site=False, semester=code, title=f"Stage n° {i + 1}")
        OfferSiteFactory(territory=territory, offer=offer, host_site=sites[i % 60])
        if i % 3 == 0:
            OfferSiteFactory(territory=territory, offer=offer, host_site=sites[(i + 7) % 60])
        offers.append(offer)
    placements = []
    for i in range(300):
        offer = offers[i % 120]
        _code, start, end = semesters[i % 2]
        placements.append(
            PlacementFactory(territory=territory, offer=offer, start_date=start, end_date=end, needs_housing=i % 3 == 0)
        )
    for placement in placements[:45]:  # from intern to settled doctor
        CaseFactory(
            territory=territory,
            applicant=placement.student,
            settled=True,
            settlement_date=placement.end_date + dt.timedelta(days=rng.randint(30, 300)),
        )

    themes = [SessionTheme.CONTINUING_EDUCATION, SessionTheme.SUPERVISOR_TRAINING, SessionTheme.WELCOME_EVENING]
    people = [UserFactory() for _ in range(200)]
    for s in range(40):
        starts = timezone.make_aware(dt.datetime(year, 1 + s % 11, 1 + s % 27, 14, 0))
        theme = themes[s % len(themes)]
        session = SessionFactory(
            territory=territory,
            theme=theme,
            event__starts_at=starts,
            event__ends_at=starts + dt.timedelta(hours=3),
            event__capacity=30,
        )
        for k in range(25):
            RegistrationFactory(
                territory=territory,
                event=session.event,
                user=people[(s * 25 + k) % 200],
                status=RegistrationStatus.REGISTERED,
                attended=rng.random() < 0.8,
            )
    decided = timezone.make_aware(dt.datetime(year, 6, 15, 10, 0))
    programmes = [ScholarshipProgrammeFactory(territory=territory), ScholarshipProgrammeFactory(territory=territory)]
    for a in range(80):
        traits = {0: {"granted": True, "decided_at": decided}, 1: {"refused": True, "decided_at": decided}}
        ScholarshipApplicationFactory(territory=territory, programme=programmes[a % 2], **traits.get(a % 3, {}))
    for o in range(30):
        OutreachActionFactory(territory=territory, held_on=dt.date(year, 1 + o % 11, 10))

    prevention_themes = list(Theme.values)
    for i in range(40):
        InitiativeFactory(
            territory=territory,
            theme=prevention_themes[i % len(prevention_themes)],
            start_date=dt.date(year - 1, 1 + i % 12, 1),
            communes=communes[i % 30 : i % 30 + 3],
        )
    for e in range(60):
        starts = timezone.make_aware(dt.datetime(year, 1 + e % 11, 1 + e % 27, 18, 0))
        details = AgendaDetailsFactory(
            territory=territory,
            theme=prevention_themes[e % len(prevention_themes)],
            event__starts_at=starts,
            event__ends_at=starts + dt.timedelta(hours=2),
            event__capacity=40,
        )
        for k in range(20):
            RegistrationFactory(
                territory=territory, event_id=details.event_id, user=people[(e * 20 + k) % 200], attended=k % 5 != 0
            )
    team = StudentTeamFactory(territory=territory, academic_year=year)
    for i in range(20):
        InterventionFactory(
            territory=territory,
            team=team,
            site__commune=communes[i % 30],
            theme=prevention_themes[i % len(prevention_themes)],
            starts_on=dt.date(year, 1 + i % 11, 3),
            ends_on=dt.date(year, 1 + i % 11, 7),
        )
