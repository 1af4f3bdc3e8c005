"""Writes of the guichet unique. Keyword-only, atomic, taking the acting user.

Each function checks what the actor may do (the territory's team: coordinator or manager; a partner
referent: only the needs referred to them; the applicant: only their own case), writes, records a
`CaseEvent` and writes the notifications in the same transaction (outbox, no broker call).

The case lifecycle:

    unconfirmed ──confirm e-mail──▶ submitted ──take charge──▶ supported ◀──▶ waiting for applicant
                                        │                          │                 │
                                        └──────────────┬───────────┴─────────────────┘
                                                       ▼
                                   settled (from supported / waiting) · withdrawn · closed
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import (
    FINAL_STATUSES,
    FOLLOW_UP_YEARS,
    HOUSEHOLD_NEEDS,
    CaseStatus,
    CurrentSituation,
    EventKind,
    NeedKind,
    NeedState,
    StructureType,
)
from installations.models import Aid, Case, CaseDocument, CaseEvent, FollowUp, Message, Need, Note, Opportunity
from portal.enums import EDITOR_ROLES, PracticeMode, Profession, Role
from portal.models import Commune, Membership, Organisation, Territory, User
from portal.tenancy.access import has_role
from portal.validators import validate_rpps

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "installations.case-confirmation"
# How long an e-mail confirmation link stays valid.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)
# Household details are kept at most this long after consent (stated to the applicant on the form).
HOUSEHOLD_RETENTION = datetime.timedelta(days=2 * 365)
DOCUMENT_MAX_SIZE = 10 * 1024 * 1024
# Content sniffing: the first bytes decide the type; the extension must agree with them.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.UNCONFIRMED: {CaseStatus.SUBMITTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SUBMITTED: {CaseStatus.SUPPORTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SUPPORTED: {CaseStatus.WAITING_APPLICANT, CaseStatus.SETTLED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.WAITING_APPLICANT: {CaseStatus.SUPPORTED, CaseStatus.SETTLED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED},
    CaseStatus.SETTLED: set(),
    CaseStatus.WITHDRAWN: set(),
    CaseStatus.CLOSED: set(),
}

_UNSET: Any = object()


# --- permissions --------------------------------------------------------------------------------


def is_team(user, territory) -> bool:
    """Coordinator or manager of the territory (or superuser)."""
    return has_role(user, territory, EDITOR_ROLES)


def is_team_member(user, territory) -> bool:
    """Holds a coordinator or manager membership there (a superuser without one is not in the team)."""
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(user=user, territory=territory, role__in=EDITOR_ROLES).exists()
    )


def is_applicant(user, case: Case) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and case.applicant_id == user.pk


def is_need_referent(user, need: Need) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and need.referent_id == user.pk
        and has_role(user, need.territory, [Role.PARTNER])
    )


def _require_team(actor, case_or_territory) -> None:
    territory = case_or_territory if isinstance(case_or_territory, Territory) else case_or_territory.territory
    if not is_team(actor, territory):
        raise PermissionDenied(_("Seule l'équipe du territoire peut faire cela."))


def _require_team_or_applicant(actor, case: Case) -> bool:
    """Returns True when the actor acts as the applicant."""
    if is_applicant(actor, case):
        return True
    if is_team(actor, case.territory):
        return False
    raise PermissionDenied(_("Vous n'avez pas accès à cette demande."))


def _require_not_erased(case: Case) -> None:
    if case.erased_at:
        raise ValidationError(_("Les données de cette demande ont été effacées : elle ne peut plus être modifiée."))


# --- helpers ------------------------------------------------------------------------------------


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _record(case: Case, *, actor, kind: str, summary: str, public: bool = False, need=None, **payload) -> CaseEvent:
    return CaseEvent.objects.create(
        territory_id=case.territory_id,
        case=case,
        need=need,
        actor=_actor_or_none(actor),
        kind=kind,
        summary=summary[:255],
        payload=payload,
        public=public,
    )


def _reverse_or_empty(name: str, **kwargs) -> str:
    # The applicant's pages are built alongside; until their URL exists the link is left out.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def applicant_case_url(case: Case) -> str:
    return _reverse_or_empty("installations:case_detail", territory_slug=case.territory.slug, pk=case.pk)


def admin_case_url(case: Case) -> str:
    return reverse("admin:installations_case_change", args=[case.pk])


def territory_coordinators(territory) -> list[User]:
    """Who hears of a new case: the coordinators, else the managers of the territory."""
    memberships = (
        Membership.objects.for_territory(territory)
        .filter(role__in=[Role.COORDINATOR, Role.MANAGER], user__is_active=True)
        .select_related("user")
        .order_by("role", "user_id")
    )
    coordinators = [m.user for m in memberships if m.role == Role.COORDINATOR]
    return coordinators or [m.user for m in memberships]


def _notify(**kwargs) -> None:
    from portal.notifications.services import notify

    notify(**kwargs)


def _notify_applicant(case: Case, *, actor, kind: str, subject: str, body: str) -> None:
    if case.applicant_id is None:
        _queue_applicant_news(case)
        return
    if case.applicant_id != getattr(actor, "pk", None):
        _notify(
            territory=case.territory,
            recipients=[case.applicant],
            kind=kind,
            subject=subject,
            body=body,
            url=applicant_case_url(case),
            actor=_actor_or_none(actor),
        )


def _notify_team(case: Case, *, actor, kind: str, subject: str, body: str) -> None:
    recipients = [case.assigned_to] if case.assigned_to_id else territory_coordinators(case.territory)
    _notify(
        territory=case.territory,
        recipients=recipients,
        kind=kind,
        subject=subject,
        body=body,
        url=admin_case_url(case),
        actor=_actor_or_none(actor),
    )


def _lock(case: Case) -> Case:
    """Re-reads the case under a row lock so that two concurrent transitions cannot both pass."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    # Keep the caller's object in step with the database.
    for field in locked._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
    return case


def _reference_prefix(territory) -> str:
    letters = "".join(ch for ch in territory.slug.upper() if ch.isalnum())
    return (letters[:3] or "GUS").ljust(3, "X")


def _next_reference(territory, now) -> str:
    """COT-2026-0042: per territory and year. The caller holds the territory lock."""
    prefix = f"{_reference_prefix(territory)}-{now.year}-"
    last = (
        Case.objects.filter(territory=territory, reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _transition(case: Case, *, actor, to: str, event_payload: dict | None = None, notify_applicant=True) -> None:
    if case.status == to or to not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("Impossible de passer la demande de « %(current)s » à « %(target)s »."),
            code="invalid_transition",
            params={"current": case.get_status_display(), "target": CaseStatus(to).label},
        )
    previous = case.status
    now = timezone.now()
    case.status = to
    case.status_changed_at = now
    update = ["status", "status_changed_at"]
    if to in FINAL_STATUSES:
        case.closed_at = now
        case.awaiting_reply_since = None
        update += ["closed_at", "awaiting_reply_since"]
    case.save(update_fields=update)
    label = CaseStatus(to).label
    _record(
        case,
        actor=actor,
        kind=EventKind.STATUS_CHANGED,
        summary=_("Statut : %(status)s") % {"status": label},
        public=True,
        **{"from": previous, "to": to},
        **(event_payload or {}),
    )
    if notify_applicant:
        _notify_applicant(
            case,
            actor=actor,
            kind="installations.case_status",
            subject=_("Votre demande %(reference)s : %(status)s") % {"reference": case.reference, "status": label},
            body=_("Le statut de votre demande d'accompagnement est désormais : %(status)s.") % {"status": label},
        )


# --- submission and confirmation --------------------------------------------------------------


def _clean_submission(
    *,
    territory,
    profession,
    current_situation,
    rpps,
    practice_mode,
    structure_type,
    target_communes,
    needs,
    household_consent,
    spouse_profession,
    children_ages,
) -> tuple[dict[str, str], list[Commune], list[int]]:
    errors: dict[str, list] = {}
    if profession not in Profession.values:
        errors["profession"] = [_("Choisissez votre profession dans la liste.")]
    if current_situation and current_situation not in CurrentSituation.values:
        errors["current_situation"] = [_("Choisissez votre situation dans la liste.")]
    if practice_mode and practice_mode not in PracticeMode.values:
        errors["practice_mode"] = [_("Choisissez un mode d'exercice dans la liste.")]
    if structure_type and structure_type not in StructureType.values:
        errors["structure_type"] = [_("Choisissez un type de structure dans la liste.")]
    if rpps:
        try:
            validate_rpps(rpps)
        except ValidationError as error:
            errors["rpps"] = error.messages
    need_map = dict(needs) if isinstance(needs, Mapping) else {kind: "" for kind in needs}
    if not need_map:
        errors["needs"] = [_("Cochez au moins un besoin pour lequel vous souhaitez être accompagné.")]
    elif any(kind not in NeedKind.values for kind in need_map):
        errors["needs"] = [_("Un des besoins cochés n'existe pas.")]
    communes = list(target_communes or [])
    if communes:
        covered = set(territory.communes.filter(pk__in=[c.pk for c in communes]).values_list("pk", flat=True))
        if any(c.pk not in covered for c in communes):
            errors["target_communes"] = [_("Choisissez des communes du territoire.")]
    ages = list(children_ages or [])
    if spouse_profession or ages:
        if not household_consent:
            errors["household_consent"] = [
                _("Pour nous transmettre des informations sur votre foyer, cochez la case de consentement.")
            ]
        if not any(kind in HOUSEHOLD_NEEDS for kind in need_map):
            errors["household_consent"] = [
                _(
                    "Les informations sur votre foyer ne sont demandées que pour l'emploi du conjoint "
                    "ou la garde d'enfants."
                )
            ]
        if any(not isinstance(age, int) or not 0 <= age <= 25 for age in ages):
            errors["children_ages"] = [_("Indiquez l'âge de chaque enfant en années (de 0 à 25 ans).")]
    if errors:
        raise ValidationError(errors)
    return need_map, communes, ages


@transaction.atomic
def case_submit(
    *,
    territory: Territory,
    actor: User | None,
    email: str = "",
    idempotency_key: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    profession: str,
    specialty: str = "",
    current_situation: str = "",
    rpps: str = "",
    target_communes: Iterable[Commune] = (),
    planned_date: datetime.date | None = None,
    practice_mode: str = "",
    structure_type: str = "",
    project_description: str = "",
    needs: Iterable[str] | Mapping[str, str],
    household_consent: bool = False,
    spouse_profession: str = "",
    children_ages: Iterable[int] = (),
) -> Case:
    """A professional asks for help. Signed in: the case is submitted at once and linked to the
    account. Anonymous: the case waits for the e-mail to be confirmed (see `case_confirmation_token`).

    `needs` is a list of `NeedKind` values or a mapping kind -> details. The same non-empty
    `idempotency_key` in the same territory returns the case already created (double submit).
    """
    person = actor if getattr(actor, "is_authenticated", False) else None
    signed_in = person is not None
    email = (person.email if person is not None else email or "").strip().lower()
    if not email:
        raise ValidationError({"email": [_("Indiquez votre adresse e-mail.")]})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": [_("Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).")]}
        ) from error
    need_map, communes, ages = _clean_submission(
        territory=territory,
        profession=profession,
        current_situation=current_situation,
        rpps=rpps,
        practice_mode=practice_mode,
        structure_type=structure_type,
        target_communes=target_communes,
        needs=needs,
        household_consent=household_consent,
        spouse_profession=spouse_profession,
        children_ages=children_ages,
    )
    # One submission at a time per territory: the reference sequence and the idempotency check
    # both need it (the second of two identical POSTs waits here, then finds the first case).
    Territory.objects.select_for_update().only("pk").get(pk=territory.pk)
    if idempotency_key:
        existing = Case.objects.for_territory(territory).filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing

    now = timezone.now()
    keep_household = household_consent and (spouse_profession or ages)
    case = Case.objects.create(
        territory=territory,
        reference=_next_reference(territory, now),
        idempotency_key=idempotency_key,
        status=CaseStatus.SUBMITTED if signed_in else CaseStatus.UNCONFIRMED,
        applicant=actor if signed_in else None,
        applicant_email=email,
        applicant_first_name=(first_name or (person.first_name if person is not None else "")).strip(),
        applicant_last_name=(last_name or (person.last_name if person is not None else "")).strip(),
        applicant_phone=phone.strip(),
        confirmed_at=now if signed_in else None,
        profession=profession,
        specialty=specialty.strip(),
        current_situation=current_situation,
        rpps=rpps,
        planned_date=planned_date,
        practice_mode=practice_mode,
        structure_type=structure_type,
        project_description=project_description.strip(),
        submitted_at=now,
        status_changed_at=now,
        awaiting_reply_since=now if signed_in else None,
        household_consent=bool(keep_household),
        household_consent_at=now if keep_household else None,
        household_retention_until=(now + HOUSEHOLD_RETENTION).date() if keep_household else None,
        spouse_profession=spouse_profession.strip() if keep_household else "",
        children_ages=ages if keep_household else [],
    )
    if communes:
        case.target_communes.set(communes)
    Need.objects.bulk_create(
        [
            Need(territory=territory, case=case, kind=kind, details=(details or "").strip())
            for kind, details in need_map.items()
        ]
    )
    _record(
        case,
        actor=actor,
        kind=EventKind.SUBMITTED,
        summary=_("Demande déposée"),
        public=True,
        needs=sorted(need_map),
    )
    if signed_in:
        _notify_new_case(case, actor=actor)
    return case


def _notify_new_case(case: Case, *, actor) -> None:
    _notify(
        territory=case.territory,
        recipients=territory_coordinators(case.territory),
        kind="installations.case_new",
        subject=_("Nouvelle demande d'accompagnement %(reference)s") % {"reference": case.reference},
        body=_("%(profession)s — %(needs)s besoin(s). À prendre en charge.")
        % {"profession": case.get_profession_display(), "needs": case.needs.count()},
        url=admin_case_url(case),
        actor=_actor_or_none(actor),
    )


def case_confirmation_token(case: Case) -> str:
    """The token of the e-mail confirmation link (signed; the case's nonce makes it single-case)."""
    return signing.dumps({"c": case.pk, "n": case.confirmation_nonce}, salt=CONFIRMATION_SALT, compress=True)


def case_send_confirmation(*, case: Case, link: str = "") -> None:
    """Sends the confirmation e-mail of an anonymous request after the commit, without the request
    ever waiting for the broker or the mail server (see `tasks.case_confirmation_send`; the periodic
    sweep sends those whose publish failed). `link` is the absolute confirmation URL; when empty it
    is built from PORTAL_BASE_URL."""
    if case.confirmed_at is not None:
        return
    from installations import tasks

    ids = (case.territory_id, case.pk)
    transaction.on_commit(lambda: tasks.publish_in_background(tasks.case_confirmation_send, *ids, link), robust=True)


def confirmation_link(case: Case) -> str:
    from portal.notifications.emails import absolute_url

    path = _reverse_or_empty(
        "installations:confirm", territory_slug=case.territory.slug, token=case_confirmation_token(case)
    )
    return absolute_url(path)


def case_confirmation_deliver(*, territory_id: int, case_id: int, link: str = "") -> bool:
    """Worker side: claims the case's confirmation e-mail (at most once) and sends it. On an error
    from the mail server the claim is released so that the sweep tries again."""
    from django.core.mail import EmailMessage

    from portal.notifications.emails import subject_prefix

    now = timezone.now()
    cases = Case.objects.filter(territory_id=territory_id)
    claimed = cases.filter(pk=case_id, confirmation_sent_at__isnull=True, confirmed_at__isnull=True).update(
        confirmation_sent_at=now
    )
    if not claimed:
        return False
    case = cases.select_related("territory").get(pk=case_id)
    link = link or confirmation_link(case)
    days = CONFIRMATION_MAX_AGE.days
    body = _(
        "Bonjour,\n\nVous avez déposé une demande d'accompagnement à l'installation (référence %(reference)s) "
        "auprès du guichet unique santé de %(territory)s.\n\nPour la confirmer, ouvrez ce lien dans les "
        "%(days)s jours :\n%(link)s\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
        "elle sera supprimée."
    ) % {"reference": case.reference, "territory": case.territory.name, "days": days, "link": link}
    message = EmailMessage(
        subject=subject_prefix(case.territory)
        + _("Confirmez votre demande %(reference)s") % {"reference": case.reference},
        body=body,
        to=[case.applicant_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:
        cases.filter(pk=case_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
        logger.exception("confirmation e-mail of case %s not sent", case_id)
        return False
    return True


def _queue_applicant_news(case: Case) -> None:
    """An applicant without an account hears of news by e-mail at their address (sent after the
    commit, or by the sweep), without the content: they sign in with that address to read it."""
    if case.confirmed_at is None or case.erased_at is not None:
        return
    updated = Case.objects.filter(pk=case.pk, applicant__isnull=True, applicant_news_since__isnull=True).update(
        applicant_news_since=timezone.now()
    )
    if updated:
        from installations import tasks

        ids = (case.territory_id, case.pk)
        transaction.on_commit(lambda: tasks.publish_in_background(tasks.applicant_news_send, *ids), robust=True)


def applicant_news_deliver(*, territory_id: int, case_id: int) -> bool:
    """Worker side: claims the pending news of an account-less applicant (at most once) and e-mails them."""
    from django.core.mail import EmailMessage

    from portal.notifications.emails import absolute_url, subject_prefix

    cases = Case.objects.filter(territory_id=territory_id)
    case = cases.select_related("territory").filter(pk=case_id, applicant_news_since__isnull=False).first()
    if case is None:
        return False
    claimed = cases.filter(pk=case_id, applicant_news_since=case.applicant_news_since, applicant__isnull=True).update(
        applicant_news_since=None
    )
    if not claimed:
        return False
    link = absolute_url(_reverse_or_empty("installations:case_list", territory_slug=case.territory.slug))
    body = _(
        "Bonjour,\n\nIl y a du nouveau sur votre demande d'accompagnement %(reference)s auprès du guichet "
        "unique santé de %(territory)s.\n\nPour le lire et répondre, connectez-vous ou créez votre compte "
        "avec cette adresse e-mail (%(email)s) :\n%(link)s"
    ) % {"reference": case.reference, "territory": case.territory.name, "email": case.applicant_email, "link": link}
    message = EmailMessage(
        subject=subject_prefix(case.territory)
        + _("Du nouveau sur votre demande %(reference)s") % {"reference": case.reference},
        body=body,
        to=[case.applicant_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:
        cases.filter(pk=case_id, applicant_news_since__isnull=True).update(
            applicant_news_since=case.applicant_news_since
        )
        logger.exception("news e-mail of case %s not sent", case_id)
        return False
    return True


def pending_news_ids(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    now = now or timezone.now()
    return list(
        Case.objects.filter(
            applicant__isnull=True,
            applicant_news_since__lte=now - datetime.timedelta(minutes=1),
            erased_at__isnull=True,
        ).values_list("territory_id", "pk")[:500]
    )


def unsent_confirmation_ids(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    """Anonymous requests whose confirmation e-mail has not gone out yet (for the sweep)."""
    now = now or timezone.now()
    return list(
        Case.objects.filter(
            status=CaseStatus.UNCONFIRMED,
            confirmed_at__isnull=True,
            confirmation_sent_at__isnull=True,
            erased_at__isnull=True,
            submitted_at__gte=now - CONFIRMATION_MAX_AGE,
            submitted_at__lte=now - datetime.timedelta(minutes=1),
        ).values_list("territory_id", "pk")[:500]
    )


@transaction.atomic
def case_confirm_email(*, token: str, actor: User | None = None) -> Case:
    """The applicant clicked the link of the confirmation e-mail. Idempotent: a second click changes
    nothing. A signed-in actor with the same e-mail gets the case linked to their account."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Ce lien de confirmation a expiré. Déposez à nouveau votre demande."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid") from error
    case = Case.objects.select_for_update().filter(pk=data.get("c"), confirmation_nonce=data.get("n")).first()
    if case is None or case.erased_at:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid")
    if case.confirmed_at is None:
        now = timezone.now()
        case.confirmed_at = now
        case.awaiting_reply_since = now
        case.save(update_fields=["confirmed_at", "awaiting_reply_since"])
        _record(case, actor=actor, kind=EventKind.EMAIL_CONFIRMED, summary=_("Adresse e-mail confirmée"), public=True)
        if case.status == CaseStatus.UNCONFIRMED:
            _transition(case, actor=actor, to=CaseStatus.SUBMITTED, notify_applicant=False)
            _notify_new_case(case, actor=actor)
    if (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and case.applicant_id is None
        and actor.email.lower() == case.applicant_email.lower()
    ):
        _link_applicant(case, actor)
    return case


def _link_applicant(case: Case, user: User) -> None:
    case.applicant = user
    # From now on the account's notifications tell them the news.
    case.applicant_news_since = None
    case.save(update_fields=["applicant", "applicant_news_since"])
    _record(case, actor=user, kind=EventKind.APPLICANT_LINKED, summary=_("Demande rattachée au compte"), public=True)


@transaction.atomic
def cases_claim(*, actor: User) -> list[Case]:
    """After signing in, confirmed cases submitted anonymously with the person's verified e-mail
    address join their personal space."""
    from allauth.account.models import EmailAddress

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    verified = {
        address.lower()
        for address in EmailAddress.objects.filter(user=actor, verified=True).values_list("email", flat=True)
    }
    if not verified:
        return []
    cases = list(
        Case.objects.select_for_update().filter(
            applicant__isnull=True, confirmed_at__isnull=False, erased_at__isnull=True, applicant_email__in=verified
        )
    )
    for case in cases:
        _link_applicant(case, actor)
    return cases


# --- lifecycle ----------------------------------------------------------------------------------


@transaction.atomic
def case_assign(*, actor: User, case: Case, coordinator: User) -> Case:
    _require_team(actor, case)
    _lock(case)
    _require_not_erased(case)
    if not is_team_member(coordinator, case.territory):
        raise ValidationError({"assigned_to": [_("Choisissez un coordinateur ou une coordinatrice de ce territoire.")]})
    if case.assigned_to_id == coordinator.pk:
        return case
    case.assigned_to = coordinator
    case.save(update_fields=["assigned_to"])
    _record(
        case,
        actor=actor,
        kind=EventKind.ASSIGNED,
        summary=_("Suivie par %(name)s") % {"name": coordinator.get_full_name() or coordinator.email},
        coordinator=coordinator.pk,
    )
    _notify(
        territory=case.territory,
        recipients=[coordinator],
        kind="installations.case_assigned",
        subject=_("Demande %(reference)s : vous en êtes chargé(e)") % {"reference": case.reference},
        body=_("La demande %(reference)s vous a été confiée.") % {"reference": case.reference},
        url=admin_case_url(case),
        actor=actor,
    )
    return case


@transaction.atomic
def case_take_charge(*, actor: User, case: Case) -> Case:
    """The coordinator starts (or resumes) supporting the applicant; unassigned cases become theirs."""
    _require_team(actor, case)
    _lock(case)
    _require_not_erased(case)
    _transition(case, actor=actor, to=CaseStatus.SUPPORTED)
    if case.assigned_to_id is None and is_team_member(actor, case.territory):
        case_assign(actor=actor, case=case, coordinator=actor)
    return case


@transaction.atomic
def case_wait_for_applicant(*, actor: User, case: Case, message: str = "") -> Case:
    """The ball is in the applicant's court (a document, an answer); an optional message tells them."""
    _require_team(actor, case)
    _lock(case)
    _require_not_erased(case)
    _transition(case, actor=actor, to=CaseStatus.WAITING_APPLICANT, notify_applicant=not message)
    if message:
        message_post(actor=actor, case=case, body=message)
    return case


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def case_settle(*, actor: User, case: Case, settlement_date: datetime.date, commune: Commune) -> Case:
    """The professional settled: records when and where, and schedules the follow-ups at 1, 3 and
    5 years (the periodic task reminds the coordinator when each one falls due)."""
    _require_team(actor, case)
    _lock(case)
    _require_not_erased(case)
    errors = {}
    if settlement_date is None:
        errors["settlement_date"] = [_("Indiquez la date d'installation.")]
    elif settlement_date > timezone.localdate() + datetime.timedelta(days=366):
        errors["settlement_date"] = [_("La date d'installation est trop lointaine.")]
    if commune is None or not case.territory.communes.filter(pk=commune.pk).exists():
        errors["settlement_commune"] = [_("Choisissez une commune du territoire.")]
    if errors:
        raise ValidationError(errors)
    _transition(
        case,
        actor=actor,
        to=CaseStatus.SETTLED,
        event_payload={"commune": commune.insee_code, "date": settlement_date.isoformat()},
    )
    case.settled_at = case.status_changed_at
    case.settlement_date = settlement_date
    case.settlement_commune = commune
    case.save(update_fields=["settled_at", "settlement_date", "settlement_commune"])
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                territory_id=case.territory_id, case=case, years=years, due_date=_add_years(settlement_date, years)
            )
            for years in FOLLOW_UP_YEARS
        ]
    )
    return case


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str = "") -> Case:
    """The applicant withdraws their request (or the team records it on their behalf)."""
    _require_team_or_applicant(actor, case)
    _lock(case)
    _require_not_erased(case)
    _transition(case, actor=actor, to=CaseStatus.WITHDRAWN, event_payload={"reason": reason[:500]})
    if is_applicant(actor, case):
        _notify_team(
            case,
            actor=actor,
            kind="installations.case_withdrawn",
            subject=_("Demande %(reference)s retirée par le demandeur") % {"reference": case.reference},
            body=reason or _("Le demandeur a retiré sa demande."),
        )
    return case


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str = "") -> Case:
    """The team closes the case without a settlement (no answer, project abandoned, out of scope)."""
    _require_team(actor, case)
    _lock(case)
    _transition(case, actor=actor, to=CaseStatus.CLOSED, event_payload={"reason": reason[:500]})
    return case


# --- needs --------------------------------------------------------------------------------------


def _require_team_member(user, territory, field: str) -> None:
    if user is not None and not is_team_member(user, territory):
        raise ValidationError({field: [_("Choisissez un membre de l'équipe du territoire.")]})


@transaction.atomic
def need_add(*, actor: User, case: Case, kind: str, details: str = "") -> Need:
    _require_team(actor, case)
    _require_not_erased(case)
    if kind not in NeedKind.values:
        raise ValidationError({"kind": [_("Choisissez un besoin dans la liste.")]})
    if case.needs.filter(kind=kind).exists():
        raise ValidationError({"kind": [_("Ce besoin figure déjà dans la demande.")]})
    need = Need.objects.create(territory_id=case.territory_id, case=case, kind=kind, details=details.strip())
    _record(
        case,
        actor=actor,
        kind=EventKind.NEED_UPDATED,
        need=need,
        summary=_("Besoin ajouté : %(kind)s") % {"kind": need.get_kind_display()},
        added=kind,
    )
    return need


@transaction.atomic
def need_update(
    *,
    actor: User,
    need: Need,
    state: str = _UNSET,
    owner: User | None = _UNSET,
    due_date: datetime.date | None = _UNSET,
    details: str = _UNSET,
) -> Need:
    """The team changes a need's state, owner, due date or details; the partner referent it was
    referred to may change its state and details only."""
    team = is_team(actor, need.territory)
    if not team and not is_need_referent(actor, need):
        raise PermissionDenied(_("Ce besoin ne vous a pas été confié."))
    _require_not_erased(need.case)
    if not team and (owner is not _UNSET or due_date is not _UNSET):
        raise PermissionDenied(_("Seule l'équipe du territoire peut changer le responsable ou l'échéance."))
    changes: dict[str, Any] = {}
    if state is not _UNSET and state != need.state:
        if state not in NeedState.values:
            raise ValidationError({"state": [_("Choisissez un état dans la liste.")]})
        changes["state"] = [need.state, state]
        need.state = state
    if owner is not _UNSET and (owner.pk if owner else None) != need.owner_id:
        _require_team_member(owner, need.territory, "owner")
        changes["owner"] = [need.owner_id, owner.pk if owner else None]
        need.owner = owner
    if due_date is not _UNSET and due_date != need.due_date:
        changes["due_date"] = [
            need.due_date.isoformat() if need.due_date else None,
            due_date.isoformat() if due_date else None,
        ]
        need.due_date = due_date
    if details is not _UNSET and details.strip() != need.details:
        changes["details"] = True
        need.details = details.strip()
    if not changes:
        return need
    need.save()
    summary = _("Besoin « %(kind)s » mis à jour") % {"kind": need.get_kind_display()}
    if "state" in changes:
        summary = _("Besoin « %(kind)s » : %(state)s") % {
            "kind": need.get_kind_display(),
            "state": need.get_state_display(),
        }
    _record(need.case, actor=actor, kind=EventKind.NEED_UPDATED, need=need, summary=summary, changes=changes)
    return need


def partner_referents(territory, organisation: Organisation):
    """The users who may receive a referral for `organisation` in `territory`."""
    return User.objects.filter(
        is_active=True,
        memberships__territory=territory,
        memberships__role=Role.PARTNER,
        memberships__organisation=organisation,
    ).distinct()


@transaction.atomic
def need_refer(*, actor: User, need: Need, organisation: Organisation, referent: User, message: str = "") -> Need:
    """Refers a need to an organisation's partner referent (CPAM, ARS, Ordre, a commune, an employer,
    a hospital's HR), who then sees that need, and only that, in the admin."""
    _require_team(actor, need.case)
    _require_not_erased(need.case)
    if organisation.territory_id != need.territory_id:
        raise ValidationError({"referred_to": [_("Choisissez une organisation de ce territoire.")]})
    if not partner_referents(need.territory, organisation).filter(pk=referent.pk).exists():
        raise ValidationError(
            {"referent": [_("Cette personne n'est pas référente partenaire de cette organisation sur le territoire.")]}
        )
    need.referred_to = organisation
    need.referent = referent
    need.referred_at = timezone.now()
    need.state = NeedState.REFERRED
    need.save(update_fields=["referred_to", "referent", "referred_at", "state", "updated_at"])
    _record(
        need.case,
        actor=actor,
        kind=EventKind.NEED_REFERRED,
        need=need,
        summary=_("Besoin « %(kind)s » orienté vers %(organisation)s")
        % {"kind": need.get_kind_display(), "organisation": organisation.name},
        organisation=organisation.pk,
        referent=referent.pk,
    )
    if message:
        note_add(actor=actor, case=need.case, body=message, need=need)
    _notify(
        territory=need.territory,
        recipients=[referent],
        kind="installations.need_referred",
        subject=_("Un besoin vous est orienté (demande %(reference)s)") % {"reference": need.case.reference},
        body=_("Besoin : %(kind)s.\n%(message)s") % {"kind": need.get_kind_display(), "message": message},
        url=reverse("admin:installations_need_change", args=[need.pk]),
        actor=actor,
    )
    return need


# --- messages, notes, documents -----------------------------------------------------------------


@transaction.atomic
def message_post(*, actor: User, case: Case, body: str) -> Message:
    """A message between the applicant and the territory. The coordinator's first message is the
    first contact; an applicant's answer puts a case waiting for them back in the coordinator's hands."""
    as_applicant = _require_team_or_applicant(actor, case)
    _lock(case)
    _require_not_erased(case)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Le message est vide.")]})
    if case.status in FINAL_STATUSES or case.status == CaseStatus.UNCONFIRMED:
        raise ValidationError({"body": [_("Cette demande est terminée : elle ne reçoit plus de messages.")]})
    message = Message.objects.create(
        territory_id=case.territory_id, case=case, author=actor, from_applicant=as_applicant, body=body
    )
    now = message.created_at
    case.last_contact_at = now
    if as_applicant:
        if case.awaiting_reply_since is None:
            case.awaiting_reply_since = now
    else:
        if case.first_contact_at is None:
            case.first_contact_at = now
        case.awaiting_reply_since = None
    case.save(update_fields=["last_contact_at", "first_contact_at", "awaiting_reply_since"])
    _record(
        case,
        actor=actor,
        kind=EventKind.MESSAGE,
        summary=_("Message du demandeur") if as_applicant else _("Message de l'équipe du territoire"),
        public=True,
        message=message.pk,
    )
    if as_applicant:
        if case.status == CaseStatus.WAITING_APPLICANT:
            _transition(case, actor=actor, to=CaseStatus.SUPPORTED, notify_applicant=False)
        _notify_team(
            case,
            actor=actor,
            kind="installations.message_from_applicant",
            subject=_("Nouveau message sur la demande %(reference)s") % {"reference": case.reference},
            body=body[:1000],
        )
    else:
        _notify_applicant(
            case,
            actor=actor,
            kind="installations.message_to_applicant",
            subject=_("Nouveau message sur votre demande %(reference)s") % {"reference": case.reference},
            body=body[:1000],
        )
    return message


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str, need: Need | None = None) -> Note:
    """A private note: the team's, or a partner referent's on the need referred to them. Never shown
    to the applicant."""
    if need is not None and need.case_id != case.pk:
        raise ValidationError({"need": [_("Ce besoin n'appartient pas à cette demande.")]})
    if not is_team(actor, case.territory) and not (need is not None and is_need_referent(actor, need)):
        raise PermissionDenied(_("Vous n'avez pas accès à cette demande."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("La note est vide.")]})
    note = Note.objects.create(territory_id=case.territory_id, case=case, need=need, author=actor, body=body)
    _record(case, actor=actor, kind=EventKind.NOTE, need=need, summary=_("Note interne ajoutée"), note=note.pk)
    return note


def sniff_document(uploaded_file) -> str:
    """The content type of an upload, decided by its first bytes and agreeing with its extension;
    raises a French ValidationError otherwise."""
    if uploaded_file.size > DOCUMENT_MAX_SIZE:
        raise ValidationError(
            _("Ce fichier pèse %(size)s Mo : la limite est de 10 Mo."),
            code="too_large",
            params={"size": f"{uploaded_file.size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    name = (uploaded_file.name or "").lower()
    for signature, content_type, extensions in DOCUMENT_SIGNATURES:
        if head.startswith(signature):
            if not name.endswith(extensions):
                break
            return content_type
    raise ValidationError(
        _("Seuls les fichiers PDF, PNG et JPEG sont acceptés (le contenu de ce fichier ne correspond pas)."),
        code="bad_type",
    )


@transaction.atomic
def document_add(*, actor: User, case: Case, uploaded_file) -> CaseDocument:
    as_applicant = _require_team_or_applicant(actor, case)
    _require_not_erased(case)
    if as_applicant and case.status in FINAL_STATUSES:
        raise ValidationError({"file": [_("Cette demande est terminée : elle ne reçoit plus de documents.")]})
    try:
        content_type = sniff_document(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original_name = (uploaded_file.name or "document").rsplit("/", 1)[-1][:200]
    document = CaseDocument(
        territory_id=case.territory_id,
        case=case,
        original_name=original_name,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
        from_applicant=as_applicant,
    )
    document.file.save(original_name, uploaded_file, save=False)
    document.save()
    _record(
        case,
        actor=actor,
        kind=EventKind.DOCUMENT,
        summary=_("Document ajouté : %(name)s") % {"name": original_name},
        public=True,
        document=document.pk,
    )
    if as_applicant:
        _notify_team(
            case,
            actor=actor,
            kind="installations.document_from_applicant",
            subject=_("Nouveau document sur la demande %(reference)s") % {"reference": case.reference},
            body=original_name,
        )
    return document


# --- aids, opportunities, follow-ups ------------------------------------------------------------


@transaction.atomic
def case_link_aid(*, actor: User, case: Case, aid: Aid) -> Case:
    _require_team(actor, case)
    if aid.territory_id != case.territory_id:
        raise ValidationError({"aids": [_("Cette aide appartient à un autre territoire.")]})
    if not case.aids.filter(pk=aid.pk).exists():
        case.aids.add(aid)
        _record(
            case,
            actor=actor,
            kind=EventKind.AID_LINKED,
            summary=_("Aide associée : %(name)s") % {"name": aid.name},
            public=True,
            aid=aid.pk,
        )
    return case


@transaction.atomic
def case_link_opportunity(*, actor: User, case: Case, opportunity: Opportunity) -> Case:
    _require_team(actor, case)
    if opportunity.territory_id != case.territory_id:
        raise ValidationError({"opportunities": [_("Cette opportunité appartient à un autre territoire.")]})
    if not opportunity.cases.filter(pk=case.pk).exists():
        opportunity.cases.add(case)
        _record(
            case,
            actor=actor,
            kind=EventKind.OPPORTUNITY_LINKED,
            summary=_("Opportunité associée : %(title)s") % {"title": opportunity.title},
            public=True,
            opportunity=opportunity.pk,
        )
    return case


@transaction.atomic
def follow_up_record(*, actor: User, follow_up: FollowUp, still_practising: bool | None, comment: str = "") -> FollowUp:
    _require_team(actor, follow_up.territory)
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.still_practising = still_practising
    follow_up.comment = comment.strip()
    follow_up.save(update_fields=["done_at", "done_by", "still_practising", "comment"])
    _record(
        follow_up.case,
        actor=actor,
        kind=EventKind.FOLLOW_UP_DONE,
        summary=_("Suivi à %(years)s an(s) réalisé") % {"years": follow_up.years},
        still_practising=still_practising,
    )
    return follow_up


# --- reminders (periodic task) ------------------------------------------------------------------


def no_answer_days() -> int:
    return int(getattr(settings, "INSTALLATIONS_NO_ANSWER_DAYS", 7))


def waiting_applicant_days() -> int:
    return int(getattr(settings, "INSTALLATIONS_WAITING_APPLICANT_DAYS", 21))


@transaction.atomic
def cases_remind_waiting(*, territory: Territory, now: datetime.datetime | None = None) -> int:
    """Reminds the coordinator (assigned, else all) of open cases whose applicant has waited for an
    answer for more than N days, and of cases left waiting for the applicant for more than M days
    (time to chase them up or close); at most one reminder per case every N (or M) days."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=no_answer_days())
    applicant_limit = now - datetime.timedelta(days=waiting_applicant_days())
    team_late = Q(status__in=[CaseStatus.SUBMITTED, CaseStatus.SUPPORTED], awaiting_reply_since__lt=limit) & ~Q(
        last_reminder_at__gte=limit
    )
    applicant_late = Q(status=CaseStatus.WAITING_APPLICANT, status_changed_at__lt=applicant_limit) & ~Q(
        last_reminder_at__gte=applicant_limit
    )
    cases = list(
        Case.objects.for_territory(territory)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("territory", "assigned_to")
        .filter(team_late | applicant_late)
    )
    for case in cases:
        if case.status == CaseStatus.WAITING_APPLICANT:
            assert case.status_changed_at is not None  # the filter above only selects dated rows
            waited = (now - case.status_changed_at).days
            _notify_team(
                case,
                actor=None,
                kind="installations.case_applicant_silent_reminder",
                subject=_("Demande %(reference)s : le demandeur n'a pas répondu depuis %(days)s jours")
                % {"reference": case.reference, "days": waited},
                body=_("Relancez le demandeur, ou classez la demande sans suite si le projet est abandonné."),
            )
            _record(
                case,
                actor=None,
                kind=EventKind.REMINDER,
                summary=_("Relance : en attente du demandeur depuis %(days)s jours") % {"days": waited},
            )
            continue
        assert case.awaiting_reply_since is not None  # the filter above only selects dated rows
        waited = (now - case.awaiting_reply_since).days
        _notify_team(
            case,
            actor=None,
            kind="installations.case_waiting_reminder",
            subject=_("Demande %(reference)s sans réponse depuis %(days)s jours")
            % {"reference": case.reference, "days": waited},
            body=_("Le demandeur attend une réponse depuis %(days)s jours.") % {"days": waited},
        )
        _record(
            case,
            actor=None,
            kind=EventKind.REMINDER,
            summary=_("Relance : sans réponse depuis %(days)s jours") % {"days": waited},
        )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(last_reminder_at=now)
    return len(cases)


@transaction.atomic
def follow_ups_remind_due(*, territory: Territory, today: datetime.date | None = None) -> int:
    """Reminds the coordinator of the follow-ups (1, 3, 5 years after settlement) that fall due."""
    today = today or timezone.localdate()
    follow_ups = list(
        FollowUp.objects.for_territory(territory)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("case__territory", "case__assigned_to")
        .filter(due_date__lte=today, done_at__isnull=True, reminded_at__isnull=True)
    )
    for follow_up in follow_ups:
        case = follow_up.case
        _notify_team(
            case,
            actor=None,
            kind="installations.follow_up_due",
            subject=_("Suivi à %(years)s an(s) de la demande %(reference)s")
            % {"years": follow_up.years, "reference": case.reference},
            body=_("Le professionnel exerce-t-il toujours sur le territoire ? Enregistrez le suivi."),
        )
    FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(reminded_at=timezone.now())
    return len(follow_ups)


@transaction.atomic
def household_purge_expired(*, territory: Territory, today: datetime.date | None = None) -> int:
    """Household details are deleted when their stated retention period ends."""
    today = today or timezone.localdate()
    return (
        Case.objects.for_territory(territory)
        .filter(household_retention_until__lt=today)
        .update(spouse_profession="", children_ages=[], household_retention_until=None)
    )


# --- personal data ------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


@transaction.atomic
def case_export_personal_data(*, actor: User, case: Case) -> dict:
    """Everything the case holds about the applicant (the right of access), as JSON-ready data.
    The team's private notes are internal working documents and are not part of it."""
    _require_team_or_applicant(actor, case)
    data = {
        "reference": case.reference,
        "territoire": case.territory.name,
        "statut": case.get_status_display(),
        "demandeur": {
            "email": case.applicant_email,
            "prenom": case.applicant_first_name,
            "nom": case.applicant_last_name,
            "telephone": case.applicant_phone,
            "profession": case.get_profession_display(),
            "specialite": case.specialty,
            "situation": case.get_current_situation_display(),
            "rpps": case.rpps,
        },
        "projet": {
            "communes": [str(c) for c in case.target_communes.all()],
            "date_envisagee": _iso(case.planned_date),
            "mode_exercice": case.get_practice_mode_display(),
            "structure": case.get_structure_type_display(),
            "description": case.project_description,
        },
        "foyer": {
            "consentement": case.household_consent,
            "consentement_le": _iso(case.household_consent_at),
            "conserve_jusqu_au": _iso(case.household_retention_until),
            "profession_conjoint": case.spouse_profession,
            "age_enfants": case.children_ages,
        },
        "dates": {
            "deposee_le": _iso(case.submitted_at),
            "confirmee_le": _iso(case.confirmed_at),
            "installation": _iso(case.settlement_date),
            "commune_installation": str(case.settlement_commune) if case.settlement_commune_id else None,
        },
        "besoins": [
            {"besoin": n.get_kind_display(), "precisions": n.details, "etat": n.get_state_display()}
            for n in case.needs.all()
        ],
        "messages": [
            {"le": _iso(m.created_at), "du_demandeur": m.from_applicant, "texte": m.body} for m in case.messages.all()
        ],
        "documents": [
            {"nom": d.original_name, "type": d.content_type, "taille": d.size, "le": _iso(d.created_at)}
            for d in case.documents.all()
        ],
        "historique": [{"le": _iso(e.created_at), "evenement": e.summary} for e in case.events.filter(public=True)],
        "suivis": [
            {"annees": f.years, "echeance": _iso(f.due_date), "exerce_toujours": f.still_practising}
            for f in case.follow_ups.all()
        ],
    }
    _record(case, actor=actor, kind=EventKind.DATA_EXPORTED, summary=_("Données personnelles exportées"), public=True)
    return data


@transaction.atomic
def case_erase_personal_data(*, actor: User, case: Case) -> Case:
    """Anonymises the case (right to erasure) and keeps what the statistics need: profession,
    communes, needs' kinds and states, dates and status. An open case is withdrawn first."""
    as_applicant = _require_team_or_applicant(actor, case)
    _lock(case)
    if case.erased_at:
        return case
    if case.status not in FINAL_STATUSES:
        to = CaseStatus.WITHDRAWN if as_applicant or case.status == CaseStatus.UNCONFIRMED else CaseStatus.CLOSED
        _transition(case, actor=actor, to=to, notify_applicant=False)
    documents = list(case.documents.all())
    for document in documents:
        name = document.file.name
        storage = document.file.storage
        # Deleted from the storage only once the erasure is committed.
        transaction.on_commit(partial(storage.delete, name))
    CaseDocument.objects.filter(case=case).delete()
    case.messages.update(body=_("[message effacé]"))
    case.notes.update(body=_("[note effacée]"))
    case.needs.update(details="")
    case.events.filter(kind=EventKind.DOCUMENT).update(summary=_("Document ajouté"))
    case.events.update(payload={})
    case.applicant = None
    case.applicant_email = f"efface-{case.pk}@invalid"
    case.applicant_first_name = ""
    case.applicant_last_name = ""
    case.applicant_phone = ""
    case.rpps = ""
    case.project_description = ""
    case.idempotency_key = ""
    case.household_consent = False
    case.household_consent_at = None
    case.household_retention_until = None
    case.spouse_profession = ""
    case.children_ages = []
    case.erased_at = timezone.now()
    case.save()
    _record(case, actor=actor, kind=EventKind.DATA_ERASED, summary=_("Données personnelles effacées"))
    return case
