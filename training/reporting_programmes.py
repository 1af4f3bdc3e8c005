"""Training's programmes in the annual report (portal/reporting.py's section contract): sessions and
attendance, scholarships granted and their amounts, tutoring, school outreach. Four queries
whatever the number of rows (tests pin it)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from portal.events.enums import EventStatus, RegistrationStatus
from portal.models import Territory
from portal.reporting import ReportSection, ReportTable
from training.enums_programmes import ApplicationStatus, CommitmentStatus, OutreachKind, SessionTheme
from training.models import Commitment, OutreachAction, ScholarshipApplication, Session, TutorPair


def euros(amount: Decimal | int | None) -> str:
    """French amount: "9 600 €", "312,50 €" (a narrow no-break space between thousands)."""
    value = Decimal(amount or 0).quantize(Decimal("0.01"))
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + "\u00a0€"


def _label(choices: type[SessionTheme] | type[OutreachKind], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def programmes_report(*, territory: Territory, year: int) -> tuple[list[tuple[str, str]], list[ReportTable]]:
    """(figures, tables) of the year: what training's programmes add to the report."""
    registrations = "event__registrations"
    sessions = list(
        Session.objects.for_territory(territory)
        .filter(event__starts_at__year=year)
        .exclude(event__status__in=[EventStatus.DRAFT, EventStatus.CANCELLED])
        .values("theme")
        .annotate(
            sessions=Count("pk", distinct=True),
            registered=Count(registrations, filter=Q(event__registrations__status=RegistrationStatus.REGISTERED)),
            attended=Count(registrations, filter=Q(event__registrations__attended=True)),
        )
        .order_by("theme")
    )
    amount = ExpressionWrapper(
        F("granted_monthly_amount") * F("granted_months"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    grants = list(
        ScholarshipApplication.objects.for_territory(territory)
        .filter(Q(submitted_at__year=year) | Q(decided_at__year=year))
        .values("programme__name")
        .annotate(
            received=Count("pk", filter=Q(submitted_at__year=year)),
            granted=Count("pk", filter=Q(status=ApplicationStatus.GRANTED, decided_at__year=year)),
            refused=Count("pk", filter=Q(status=ApplicationStatus.REFUSED, decided_at__year=year)),
            amount=Sum(amount, filter=Q(status=ApplicationStatus.GRANTED, decided_at__year=year)),
        )
        .order_by("programme__name")
    )
    # Scalar figures in one query: scholarship holders practising, tutoring pairs active in the year.
    holders = (
        Commitment.objects.filter(
            territory=OuterRef("pk"), status__in=[CommitmentStatus.PRACTISING, CommitmentStatus.FULFILLED]
        )
        .order_by()
        .values("territory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    pairs = (
        TutorPair.objects.filter(territory=OuterRef("pk"), started_on__year__lte=year)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=year))
        .order_by()
        .values("territory")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counts = (
        Territory.objects.filter(pk=territory.pk)
        .annotate(
            holders=Coalesce(Subquery(holders, output_field=IntegerField()), 0),
            pairs=Coalesce(Subquery(pairs, output_field=IntegerField()), 0),
        )
        .values("holders", "pairs")
        .get()
    )
    # One row per action (a handful a year), summed here: summing pupils over the join on speakers
    # would count an action's pupils once per speaker.
    outreach: dict[str, dict[str, int]] = {}
    for kind, pupils_reached, speaker_total in (
        OutreachAction.objects.for_territory(territory)
        .filter(held_on__year=year)
        .annotate(speaker_total=Count("speakers"))
        .order_by("kind")
        .values_list("kind", "pupils_reached", "speaker_total")
    ):
        row = outreach.setdefault(kind, {"actions": 0, "pupils": 0, "speakers": 0})
        row["actions"] += 1
        row["pupils"] += pupils_reached
        row["speakers"] += speaker_total

    trainings = [row for row in sessions if row["theme"] not in (SessionTheme.WELCOME_EVENING, SessionTheme.NETWORKING)]
    figures = [
        (_("Formations de professionnels"), str(sum(r["sessions"] for r in trainings))),
        (_("Présences aux formations"), str(sum(r["attended"] for r in trainings))),
        (
            _("Soirées d'accueil et rencontres"),
            str(sum(r["sessions"] for r in sessions) - sum(r["sessions"] for r in trainings)),
        ),
        (_("Bourses accordées"), str(sum(r["granted"] for r in grants))),
        (_("Montant des bourses accordées"), euros(sum((r["amount"] or Decimal(0) for r in grants), Decimal(0)))),
        (_("Boursiers en exercice sur le territoire"), str(counts["holders"])),
        (_("Binômes de tutorat actifs"), str(counts["pairs"])),
        (_("Actions auprès des scolaires"), str(sum(r["actions"] for r in outreach.values()))),
    ]
    tables = [
        ReportTable(
            caption=_("Formations et soirées par thème"),
            headers=[_("Thème"), _("Séances"), _("Inscrits"), _("Présents")],
            rows=[
                [_label(SessionTheme, r["theme"]), str(r["sessions"]), str(r["registered"]), str(r["attended"])]
                for r in sessions
            ],
        ),
        ReportTable(
            caption=_("Bourses par programme"),
            headers=[_("Programme"), _("Candidatures reçues"), _("Accordées"), _("Refusées"), _("Montant accordé")],
            rows=[
                [r["programme__name"], str(r["received"]), str(r["granted"]), str(r["refused"]), euros(r["amount"])]
                for r in grants
            ],
        ),
        ReportTable(
            caption=_("Actions auprès des scolaires"),
            headers=[_("Type d'action"), _("Actions"), _("Intervenants"), _("Élèves rencontrés")],
            rows=[
                [_label(OutreachKind, kind), str(r["actions"]), str(r["speakers"]), str(r["pupils"])]
                for kind, r in outreach.items()
            ],
        ),
    ]
    return figures, [table for table in tables if table.rows]


def annual_report_section(*, territory: Territory, year: int) -> ReportSection | None:
    """The section on its own, while the app's other half (placements, housing) has none to join it to."""
    figures, tables = programmes_report(territory=territory, year=year)
    if not tables and not any(value not in ("0", euros(0)) for _label_, value in figures):
        return None
    return ReportSection(
        title=_("Formation, bourses et découverte des métiers"),
        order=30,
        text=_(
            "Formations des professionnels et des maîtres de stage, soirées d'accueil des internes, bourses "
            "d'études et de stage contre un engagement d'exercice, tutorat et interventions dans les établissements "
            "scolaires."
        ),
        figures=figures,
        tables=tables,
    )
