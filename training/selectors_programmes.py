"""Reads of training's programmes (sessions and welcome evenings, scholarships), for the pages
that show them. Never imports services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.events.enums import EventStatus, RegistrationStatus
from training.models import ScholarshipApplication, ScholarshipProgramme, Session

if TYPE_CHECKING:
    from portal.models import Territory


def coming_sessions(*, territory: Territory | None) -> QuerySet[Session]:
    """The territory's published (or cancelled, with their notice) sessions and evenings not over
    yet, soonest first, with their registered count (for the places left)."""
    sessions: QuerySet[Session] = (
        Session.objects.for_territory(territory)
        .filter(
            event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event", "event__commune", "event__organiser")
        .annotate(
            registered_count=Count(
                "event__registrations", filter=Q(event__registrations__status=RegistrationStatus.REGISTERED)
            )
        )
        .order_by("event__starts_at", "pk")
    )
    return sessions


def open_programmes(*, territory: Territory | None) -> QuerySet[ScholarshipProgramme]:
    programmes: QuerySet[ScholarshipProgramme] = (
        ScholarshipProgramme.objects.for_territory(territory).open().select_related("funder").order_by("name")
    )
    return programmes


def applications_of(*, user: Any) -> QuerySet[ScholarshipApplication]:
    """A person's own applications, in every active territory, the latest first."""
    if not getattr(user, "is_authenticated", False):
        return ScholarshipApplication.objects.none()
    applications: QuerySet[ScholarshipApplication] = (
        ScholarshipApplication.objects.filter(applicant=user, territory__is_active=True)
        .select_related("programme", "territory")
        .order_by("-submitted_at", "-pk")
    )
    return applications


def application_of(*, user: Any, pk: int) -> ScholarshipApplication | None:
    """One of the person's own applications with its documents; None for anyone else's."""
    application: ScholarshipApplication | None = (
        applications_of(user=user).select_related("commitment").prefetch_related("documents").filter(pk=pk).first()
    )
    return application
