#!/usr/bin/env python
"""Benchmark of the annual report of a large territory (run by hand, not a test).

    .venv/bin/python benchmarks/governance_report.py [--members 200] [--meetings 40] [--cases 5000]
                                                     [--actions 60] [--repeat 3] [--skip-load]

Builds, in a database of its own (BENCH_DATABASE_URL, default guichet_gov_bench on the local
server; dropped and created unless --skip-load), one territory with a Conseil de santé of
`--members` members, `--meetings` meetings held in the year with their attendance, a deliberation
per meeting, ten working groups with their progress notes, `--actions` CLS action sheets with two
indicators each, and `--cases` installation cases (through the installations app's factories), and unless --without-axes
a year of training and prevention (benchmarks/governance_report_axes.py: placements, trainees who
later settled, sessions with attendance, scholarships, outreach, initiatives, agenda, service sanitaire).
Then it times, like the worker does, the two halves of a report:

- data collection: `governance.reports.build_annual_report` (queries, charts, the other apps'
  sections through portal.reporting) — with its query count;
- rendering: WeasyPrint (`portal.documents.rendering.render_pdf`), with its page count;

and prints the time and peak memory of each, and the share of the total spent collecting data.
Targets on a 2-core machine: ≤ 30 pages, ≤ 10 s and ≤ 250 MB in total, collection ≤ 15 %.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_gov_bench")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def load(*, members: int, meetings: int, cases: int, actions: int, year: int, with_axes: bool = True) -> None:
    from django.db import transaction
    from django.utils import timezone

    from governance.enums import ActionStatus, Attendance, MeetingKind, MemberCategory, Position
    from governance.models import (
        ActionAxis,
        ActionSheet,
        Body,
        College,
        Deliberation,
        Indicator,
        IndicatorValue,
        Mandate,
        Meeting,
        Participation,
        ProgressNote,
        WorkingGroup,
    )
    from tests.portal.factories import TerritoryFactory

    rng = random.Random(2026)  # noqa: S311 - reproducible fake data
    with transaction.atomic():
        territory = TerritoryFactory(name="Communauté d'agglomération du Grand Banc d'Essai", slug="banc-essai")
        body = Body.objects.create(
            territory=territory, name="Conseil de santé du Grand Banc d'Essai", kind="health_council"
        )
        colleges = [
            College.objects.create(territory=territory, body=body, name=name)
            for name in ("Collège des professionnels", "Collège des institutions", "Collège des élus")
        ]
        categories = MemberCategory.values
        mandates = Mandate.objects.bulk_create(
            Mandate(
                territory=territory,
                body=body,
                college=colleges[i % 3],
                person_name=f"Membre {i:03d}, {MemberCategory(categories[i % len(categories)]).label}",
                category=categories[i % len(categories)],
                position=Position.CO_CHAIR if i < 2 else Position.MEMBER,
                start_date=dt.date(year - 2, 1, 1),
                end_date=dt.date(year, 6, 30) if i % 17 == 0 else None,
            )
            for i in range(members)
        )
        groups = []
        for g in range(10):
            group = WorkingGroup.objects.create(
                territory=territory,
                body=body,
                name=f"Groupe de travail {g + 1}",
                theme=f"Thème {g + 1}",
                objectives="Objectifs du groupe : diagnostic partagé, propositions au Conseil, suivi des actions.",
                professional_pilot=mandates[g],
            )
            group.members.add(*mandates[g * 15 : g * 15 + 20])
            groups.append(group)
            ProgressNote.objects.bulk_create(
                ProgressNote(
                    territory=territory,
                    working_group=group,
                    written_on=dt.date(year, m, 15),
                    text="Deux réunions, un diagnostic partagé et trois propositions remises au Conseil.",
                )
                for m in (3, 6, 9, 11)
            )
        plenaries = max(2, meetings // 10)
        for m in range(meetings):
            plenary = m < plenaries
            start = timezone.make_aware(dt.datetime(year, 1 + m % 11, 1 + m % 27, 18, 0))
            meeting = Meeting.objects.create(
                territory=territory,
                body=body,
                kind=MeetingKind.PLENARY if plenary else MeetingKind.WORKING_GROUP,
                working_group=None if plenary else groups[m % 10],
                title=f"Réunion {m + 1}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                status="held",
            )
            invited = mandates if plenary else mandates[(m % 10) * 15 : (m % 10) * 15 + 20]
            Participation.objects.bulk_create(
                Participation(
                    territory=territory,
                    meeting=meeting,
                    mandate=mandate,
                    attendance=rng.choice([Attendance.PRESENT] * 3 + [Attendance.ABSENT]),
                )
                for mandate in invited
            )
            Deliberation.objects.create(
                territory=territory,
                body=body,
                meeting=meeting,
                year=year,
                number=m + 1,
                kind="opinion",
                title=f"Avis sur le projet de maison de santé n° {m + 1}",
                decided_on=start.date(),
                votes_for=10,
                votes_against=1,
                abstentions=2,
                outcome="favourable",
            )
        axes = [
            ActionAxis.objects.create(territory=territory, number=n + 1, title=f"Axe stratégique {n + 1}")
            for n in range(4)
        ]
        sheets = ActionSheet.objects.bulk_create(
            ActionSheet(
                territory=territory,
                axis=axes[a % 4],
                code=f"{a % 4 + 1}.{a // 4 + 1}",
                title=f"Fiche action {a + 1} : accompagner les professionnels et les habitants",
                pilot="Service santé",
                partners="ARS, CPAM",
                target_public="Professionnels de santé",
                budget=10000 + a * 500,
                funders="Agglomération, ARS",
                status=ActionStatus.values[a % 5],
                start_date=dt.date(year - 1, 1, 1),
                end_date=dt.date(year + 2, 12, 31),
            )
            for a in range(actions)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(territory=territory, action=sheet, name=f"Indicateur {k + 1} de {sheet.code}", unit="pers.")
            for sheet in sheets
            for k in range(2)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(territory=territory, indicator=indicator, year=y, target=40, measured=rng.randint(10, 50))
            for indicator in indicators
            for y in (year - 1, year)
        )
        if cases:
            load_cases(territory, cases, year, rng)
        if with_axes:
            from governance_report_axes import load_axes

            load_axes(territory, year=year, rng=rng)


def load_cases(territory, count: int, year: int, rng) -> None:
    """Installation cases through the installations app's factory (built, then inserted in bulk)."""
    from django.utils import timezone

    from installations.enums import CaseStatus
    from installations.models import Case
    from portal.enums import Profession
    from tests.installations.factories import CaseFactory

    statuses = [CaseStatus.SUBMITTED, CaseStatus.SUPPORTED, CaseStatus.SETTLED, CaseStatus.CLOSED]
    professions = [Profession.DOCTOR_GP, Profession.NURSE, Profession.INTERN, Profession.PHYSIOTHERAPIST]
    batch = []
    for i in range(count):
        submitted = timezone.make_aware(dt.datetime(year, 1 + i % 12, 1 + i % 28, 10, 0))
        case = CaseFactory.build(
            territory=territory,
            applicant=None,
            applicant_email=f"demandeur{i}@exemple.fr",
            reference=f"BENCH-{year}-{i:05d}",
            status=rng.choice(statuses),
            profession=rng.choice(professions),
            submitted_at=submitted,
        )
        batch.append(case)
    Case.objects.bulk_create(batch, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--actions", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--without-axes", action="store_true", help="no training or prevention data (the old run)")
    args = parser.parse_args()

    if not args.skip_load:
        recreate_database(BENCH_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    year = timezone.localdate().year
    if not args.skip_load:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        load(
            members=args.members,
            meetings=args.meetings,
            cases=args.cases,
            actions=args.actions,
            year=year,
            with_axes=not args.without_axes,
        )
        print(f"loaded in {time.perf_counter() - started:.1f} s")

    from documents_measure import measure, peak_rss_mib

    from governance.models import Body
    from governance.reports import build_annual_report
    from portal.documents.rendering import render_pdf
    from portal.models import Territory

    territory = Territory.objects.get(slug="banc-essai")
    body = Body.objects.for_territory(territory).get()
    params = {"body_id": body.pk, "year": year}

    with CaptureQueriesContext(connection) as queries:
        build_annual_report(territory=territory, params=params)  # warm-up (imports, template loading)
    print(f"data collection: {len(queries.captured_queries)} queries")

    rows = []
    for run in range(args.repeat):
        collect = measure(
            lambda: build_annual_report(territory=territory, params=params), label="collect", trace=run == 0
        )
        template_name, context = collect.result
        render = measure(
            lambda template_name=template_name, context=context: render_pdf(
                template_name=template_name, context=context
            ),
            label="render",
            trace=run == 0,
        )
        rows.append((collect, render))
        total = collect.seconds + render.seconds
        print(
            f"run {run + 1}: collect {collect.seconds:.2f} s, WeasyPrint {render.seconds:.2f} s, "
            f"total {total:.2f} s (CPU {collect.cpu_seconds + render.cpu_seconds:.2f} s), "
            f"{render.pages} pages, {render.size_kib:.0f} KiB, "
            f"collection share {100 * collect.seconds / total:.1f} %"
            + (
                f", Python peak collect {collect.traced_peak_mib:.0f} MiB / render {render.traced_peak_mib:.0f} MiB"
                if run == 0
                else ""
            )
        )
    best_cpu = min(c.cpu_seconds + r.cpu_seconds for c, r in rows)
    best_collect = min(c.seconds for c, _ in rows)
    best_render = min(r.seconds for _, r in rows)
    total = best_collect + best_render
    print(
        f"\nbest: total {total:.2f} s (collect {best_collect:.2f} s = {100 * best_collect / total:.1f} %, "
        f"WeasyPrint {best_render:.2f} s; CPU {best_cpu:.2f} s), {rows[0][1].pages} pages, "
        f"process peak RSS {peak_rss_mib():.0f} MiB"
    )


if __name__ == "__main__":
    main()
