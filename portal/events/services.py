"""Writes of events and registrations: register, cancel, promote from the waiting list, take
attendance, cancel an event, remind.

Capacity holds under concurrency because every write that changes who holds a place first locks
the event's row (`SELECT … FOR UPDATE`): two people taking the last place at the same instant are
served one after the other, the second one finds it taken and joins the waiting list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.enums import EDITOR_ROLES
from portal.events import tokens
from portal.events.enums import EventStatus, RegistrationStatus
from portal.events.invitations import event_ics, event_path, event_when
from portal.events.models import Event, Registration
from portal.notifications.emails import absolute_url
from portal.notifications.services import notify, notify_address
from portal.tenancy.access import has_role

if TYPE_CHECKING:
    from portal.documents.models import GeneratedDocument
    from portal.models import Territory, User

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_HOURS = 24


# --- who may do what ---------------------------------------------------------------------------


def may_organise(actor: Any, event: Event) -> bool:
    """The territory's team (coordinators, managers), a superuser, or one of the event's organisers."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if has_role(actor, event.territory, EDITOR_ROLES):
        return True
    return event.organiser_users.filter(pk=actor.pk).exists()


def _require_organiser(actor: Any, event: Event) -> None:
    if not may_organise(actor, event):
        raise PermissionDenied(_("Seuls les organisateurs de l'événement et l'équipe du territoire le peuvent."))


def _lock(event: Event) -> Event:
    """The event's row, locked until the transaction ends (only that row: not its territory's)."""
    locked: Event = (
        Event.objects.for_territory(event.territory)
        .select_for_update(of=("self",))
        .select_related("territory")
        .get(pk=event.pk)
    )
    return locked


# --- what people are told ------------------------------------------------------------------------


def _tell(
    registrations: Sequence[Registration],
    *,
    event: Event,
    kind: str,
    subject: str,
    body: str,
    actor: User | None = None,
    invitation: bool = False,
) -> None:
    """Tell each registration's person, through the notifications outbox: users in the portal and by
    e-mail, people without an account by e-mail only (with the page's address in the text)."""
    users = [r.user for r in registrations if r.user_id]
    if users:
        notify(
            territory=event.territory,
            recipients=users,
            kind=kind,
            subject=subject,
            body=body,
            url=event_path(event),
            actor=actor,
            attachments=[("invitation.ics", event_ics(event), "text/calendar")] if invitation else None,
        )
    anonymous = [r for r in registrations if not r.user_id]
    if anonymous:
        link = absolute_url(event_path(event))
        for registration in anonymous:
            text = _("Bonjour %(name)s,\n\n%(body)s\n\nL'événement : %(link)s\n") % {
                "name": registration.person_name,
                "body": body,
                "link": link,
            }
            if registration.is_active and event.status == EventStatus.PUBLISHED:
                text += _("Pour annuler votre inscription : %(link)s\n") % {"link": _cancel_link(registration)}
            notify_address(
                territory=event.territory, email_address=registration.email, kind=kind, subject=subject, body=text
            )


def _cancel_link(registration: Registration) -> str:
    token = tokens.cancel_token(registration_id=registration.pk, email=registration.email)
    return absolute_url(
        reverse("events:cancel_by_link", kwargs={"territory_slug": registration.event.territory.slug, "token": token})
    )


@transaction.atomic
def registration_confirmation_send(*, event: Event, name: str, email: str) -> None:
    """A person without an account asked to register: e-mail them the link that confirms it. Nothing
    is recorded until they follow it (a page, then a button)."""
    token = tokens.confirm_token(event_id=event.pk, name=name, email=email)
    link = absolute_url(reverse("events:confirm", kwargs={"territory_slug": event.territory.slug, "token": token}))
    notify_address(
        territory=event.territory,
        email_address=email,
        kind="events.confirm_address",
        subject=_("Confirmez votre inscription à « %(title)s »") % {"title": event.title},
        body=_(
            "Bonjour %(name)s,\n\nPour confirmer votre inscription, ouvrez ce lien (valable 3 jours) puis "
            "cliquez sur « Confirmer mon inscription » :\n%(link)s\n\n%(facts)s\n\n"
            "Si vous n'avez rien demandé, ignorez ce message : rien n'est enregistré sans confirmation."
        )
        % {"name": name, "link": link, "facts": _facts(event)},
    )


def _facts(event: Event) -> str:
    lines = [event.title, event_when(event)]
    if event.place:
        lines.append(event.place)
    return "\n".join(lines)


# --- registering ---------------------------------------------------------------------------------


def _registered_count(event: Event) -> int:
    count: int = Registration.objects.for_territory(event.territory).filter(event=event).registered().count()
    return count


def _fill_free_places(event: Event, *, now: datetime, actor: User | None = None) -> list[Registration]:
    """Move the first people of the waiting list into the free places (the event row is locked) and
    tell them. Nobody is promoted into an event that has started or is not published."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    waiting = Registration.objects.for_territory(event.territory).filter(event=event).waitlisted().waitlist_order()
    if event.capacity is not None:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    if not promoted:
        return []
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
    Registration.objects.bulk_update(promoted, ["status", "promoted_at"])
    _tell(
        promoted,
        event=event,
        actor=actor,
        kind="events.promoted",
        subject=_("Une place s'est libérée : vous êtes inscrit à « %(title)s »") % {"title": event.title},
        body=_(
            "Une place s'est libérée et vous étiez sur la liste d'attente : votre inscription est confirmée.\n\n"
            "%(facts)s\n\nSi vous ne pouvez plus venir, annulez votre inscription pour laisser la place."
        )
        % {"facts": _facts(event)},
        invitation=True,
    )
    logger.info("Event %s: %s promoted from the waiting list", event.pk, [r.pk for r in promoted])
    return promoted


@transaction.atomic
def registration_create(
    *,
    actor: User | None,
    event: Event,
    user: User | None = None,
    name: str = "",
    email: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register a person: `user` (themself, or someone the territory's team registers), or, when the
    event allows it, a `name` and an `email` without an account (`actor=None`: the person confirmed
    their address through the signed link). Registered while places remain, waitlisted after."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    name = " ".join((name or "").split())
    if user is not None:
        if actor is None or (actor.pk != user.pk and not has_role(actor, event.territory, EDITOR_ROLES)):
            raise PermissionDenied(_("Vous ne pouvez inscrire que vous-même."))
    elif not email:
        raise ValidationError({"email": _("Indiquez votre adresse e-mail.")})
    elif not name:
        raise ValidationError({"name": _("Indiquez votre nom.")})

    event = _lock(event)
    refusal = event.registration_refusal(now)
    if refusal:
        raise ValidationError(refusal)
    if user is None and not event.allow_anonymous:
        raise ValidationError(_("Cet événement demande un compte : connectez-vous pour vous inscrire."))

    existing = Registration.objects.for_territory(event.territory).filter(event=event)
    existing = existing.filter(user=user) if user is not None else existing.filter(user__isnull=True, email=email)
    registration = existing.first()
    if registration is not None and registration.is_active:
        if registration.is_waitlisted:
            raise ValidationError(_("Vous êtes déjà sur la liste d'attente de cet événement."))
        raise ValidationError(_("Vous êtes déjà inscrit à cet événement."))

    # Places freed without anyone promoted (capacity raised in the admin) go to those who waited.
    _fill_free_places(event, now=now, actor=actor)
    full = event.capacity is not None and _registered_count(event) >= event.capacity
    if registration is None:
        registration = Registration(territory=event.territory, event=event, user=user, email="" if user else email)
    registration.name = "" if user else name
    registration.status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    registration.created_at = now
    registration.waitlisted_at = now if full else None
    registration.promoted_at = None
    registration.cancelled_at = None
    registration.reminded_at = None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # the database's uniqueness, should a caller skip the lock
        raise ValidationError(_("Vous êtes déjà inscrit à cet événement.")) from exc

    # The person is told even when they registered themself; the team member who registered them is not.
    on_behalf = actor if actor is not None and user is not None and actor.pk != user.pk else None
    if full:
        _tell(
            [registration],
            event=event,
            actor=on_behalf,
            kind="events.waitlisted",
            subject=_("Liste d'attente : « %(title)s »") % {"title": event.title},
            body=_(
                "L'événement est complet : vous êtes sur la liste d'attente. Si une place se libère, "
                "vous serez inscrit automatiquement et prévenu.\n\n%(facts)s"
            )
            % {"facts": _facts(event)},
        )
    else:
        _tell(
            [registration],
            event=event,
            actor=on_behalf,
            kind="events.registered",
            subject=_("Inscription confirmée : « %(title)s »") % {"title": event.title},
            body=_("Votre inscription est confirmée.\n\n%(facts)s") % {"facts": _facts(event)},
            invitation=True,
        )
    logger.info("Registration %s to event %s: %s", registration.pk, event.pk, registration.status)
    return registration


@transaction.atomic
def registration_cancel(*, actor: User | None, registration: Registration, now: datetime | None = None) -> Registration:
    """Cancel a registration (the person themself, or an organiser). A freed place goes at once to
    the first person of the waiting list, who is told; all in this transaction."""
    now = now or timezone.now()
    event = _lock(registration.event)
    registration = Registration.objects.for_territory(event.territory).select_for_update().get(pk=registration.pk)
    own = actor is not None and registration.user_id is not None and registration.user_id == actor.pk
    # actor=None: a person without an account, through the signed link of their e-mail.
    if actor is not None and not own:
        _require_organiser(actor, event)
    if actor is None and registration.user_id is not None:
        raise PermissionDenied
    if not registration.is_active:
        raise ValidationError(_("Cette inscription est déjà annulée."))
    if event.starts_at <= now:
        raise ValidationError(_("L'événement a commencé : l'inscription ne peut plus être annulée."))
    held_a_place = registration.is_registered
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if actor is not None and not own:
        _tell(
            [registration],
            event=event,
            actor=actor,
            kind="events.registration_cancelled",
            subject=_("Inscription annulée : « %(title)s »") % {"title": event.title},
            body=_("L'équipe organisatrice a annulé votre inscription.\n\n%(facts)s") % {"facts": _facts(event)},
        )
    if held_a_place:
        _fill_free_places(event, now=now, actor=actor)
    logger.info("Registration %s to event %s cancelled by %s", registration.pk, event.pk, actor)
    return registration


@transaction.atomic
def attendance_record(
    *, actor: User, registration: Registration, attended: bool, now: datetime | None = None
) -> Registration:
    """The organiser (or the territory's team) notes whether a registered person came."""
    now = now or timezone.now()
    event = registration.event
    _require_organiser(actor, event)
    registration = (
        Registration.objects.for_territory(event.territory)
        .select_for_update()
        .select_related("event")
        .get(pk=registration.pk)
    )
    if not registration.is_registered:
        raise ValidationError(_("Seules les personnes inscrites (hors liste d'attente) peuvent être notées présentes."))
    if registration.event.starts_at > now:
        raise ValidationError(_("La présence se note à partir du début de l'événement."))
    registration.attended = attended
    registration.attendance_recorded_at = now
    fields = ["attended", "attendance_recorded_at"]
    if not attended and registration.certificate_id:
        # An attendance certificate cannot outlive the attendance it certifies.
        from portal.documents.models import GeneratedDocument

        GeneratedDocument.objects.filter(pk=registration.certificate_id).delete()
        registration.certificate = None
    registration.save(update_fields=fields)
    return registration


CERTIFICATE_BUILDER = "portal.events.builders.attendance_certificate"


@transaction.atomic
def certificate_request(*, actor: User, registration: Registration) -> GeneratedDocument:
    """An attendee asks for their attendance certificate: a PDF addressed to them alone (and the
    territory's team), generated once in the reports worker; asked again after a failure, it is
    generated again."""
    from portal.documents.enums import DocumentAudience, DocumentKind, DocumentStatus
    from portal.documents.services import document_request, document_retry

    registration = (
        Registration.objects.for_territory(registration.territory)
        .select_for_update(of=("self",))
        .select_related("event__territory", "certificate")
        .get(pk=registration.pk)
    )
    if actor is None or registration.user_id != actor.pk:
        raise PermissionDenied
    if registration.attended is not True:
        raise ValidationError(_("Votre présence à cet événement n'a pas été notée : il n'y a pas d'attestation."))
    document = registration.certificate
    if document is not None:
        if document.status == DocumentStatus.FAILED:
            document = document_retry(actor=None, document=document)
        return document
    event = registration.event
    document = document_request(
        actor=None,  # the system: the attendee is not the territory's team, the rule is checked above
        territory=event.territory,
        kind=DocumentKind.ATTENDANCE_CERTIFICATE,
        title=(_("Attestation de présence — %(title)s") % {"title": event.title})[:200],
        builder=CERTIFICATE_BUILDER,
        params={"registration_id": registration.pk},
        audience=DocumentAudience.PERSON,
        recipient=actor,
    )
    registration.certificate = document
    registration.save(update_fields=["certificate"])
    return document


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str = "", now: datetime | None = None) -> Event:
    """Cancel an event: everyone registered or waiting is told, users with a calendar cancellation."""
    now = now or timezone.now()
    _require_organiser(actor, event)
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("Cet événement est déjà annulé."))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.ics_sequence += 1
    event.save(update_fields=["status", "cancelled_at", "ics_sequence"])
    people = list(
        Registration.objects.for_territory(event.territory).filter(event=event).active().select_related("user")
    )
    body = _("L'événement auquel vous étiez inscrit est annulé.\n\n%(facts)s") % {"facts": _facts(event)}
    if reason.strip():
        body += "\n\n" + _("Motif : %(reason)s") % {"reason": reason.strip()}
    _tell(
        people,
        event=event,
        actor=actor,
        kind="events.cancelled",
        subject=_("Événement annulé : « %(title)s »") % {"title": event.title},
        body=body,
        invitation=True,
    )
    logger.info("Event %s cancelled by %s; %s people told", event.pk, actor, len(people))
    return event


@transaction.atomic
def event_places_fill(*, actor: User, event: Event, now: datetime | None = None) -> list[Registration]:
    """After the capacity was raised (or removed): the waiting list takes the new places."""
    _require_organiser(actor, event)
    return _fill_free_places(_lock(event), now=now or timezone.now(), actor=actor)


# --- reminders -----------------------------------------------------------------------------------


def reminder_hours() -> int:
    return int(getattr(settings, "EVENTS_REMINDER_HOURS", DEFAULT_REMINDER_HOURS))


@transaction.atomic
def registration_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the registered people of the events starting within EVENTS_REMINDER_HOURS (24 h):
    each registration once (`reminded_at`), even if two runs overlap (rows locked, skip locked).
    A system job, across territories. Returns how many people were reminded."""
    now = now or timezone.now()
    due = list(
        Registration.objects.registered()
        .filter(
            reminded_at__isnull=True,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(hours=reminder_hours()),
        )
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("event__territory", "event__organiser", "event__commune", "user")
        .order_by("event_id", "pk")
    )
    by_event: dict[int, list[Registration]] = {}
    for registration in due:
        by_event.setdefault(registration.event_id, []).append(registration)
    for registrations in by_event.values():
        event = registrations[0].event
        _tell(
            registrations,
            event=event,
            kind="events.reminder",
            subject=_("Rappel : « %(title)s », %(when)s") % {"title": event.title, "when": event_when(event)},
            body=_(
                "Nous vous rappelons votre inscription.\n\n%(facts)s\n\n"
                "Si vous ne pouvez plus venir, annulez votre inscription pour laisser la place."
            )
            % {"facts": _facts(event)},
        )
    Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return len(due)


@transaction.atomic
def anonymous_registrations_erase(*, territory: Territory, before: datetime) -> int:
    """Retention rule `events.anonymous_registrations`: the name and e-mail of registrations made
    without an account are erased once their event ended before `before` (the row stays: attendance
    counts feed the annual report). The e-mail becomes a unique placeholder (one per event, as the
    constraint wants)."""
    return registrations_erase(
        Registration.objects.for_territory(territory).filter(user__isnull=True, event__ends_at__lt=before)
    )


def registrations_erase(registrations: QuerySet[Registration]) -> int:
    """The person leaves these registrations (an app's retention rule picks them): account, name and
    e-mail go, the e-mail becoming a unique placeholder; the status and attendance stay for the
    figures. An attendance certificate names the person: it goes, with its file once committed."""
    registrations = registrations.exclude(user__isnull=True, email__endswith=ERASED_EMAIL_DOMAIN)
    certificate_ids = list(registrations.filter(certificate__isnull=False).values_list("certificate_id", flat=True))
    count = registrations.update(
        user=None,
        name="",
        certificate=None,
        email=Concat(Value("efface-"), Cast("pk", CharField()), Value(ERASED_EMAIL_DOMAIN)),
    )
    if certificate_ids:
        from portal.documents.models import GeneratedDocument

        documents = GeneratedDocument.objects.filter(pk__in=certificate_ids)
        for document in documents:
            if document.file.name:
                transaction.on_commit(partial(document.file.storage.delete, document.file.name))
        documents.delete()
    return count


ERASED_EMAIL_DOMAIN = "@invalid"
