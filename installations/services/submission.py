"""A professional's request: the form's submission, the e-mail confirmation of an anonymous
request, and the linking of requests to the account of the person who made them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Length, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from installations.enums import (
    FINAL_STATUSES,
    HOUSEHOLD_NEEDS,
    CaseStatus,
    CurrentSituation,
    EventKind,
    NeedKind,
    StructureType,
)
from installations.models import Case, Need
from installations.services.applicant_mail import CONFIRMATION_MAX_AGE, CONFIRMATION_SALT, applicant_news_withdraw
from installations.services.links import admin_case_url
from installations.services.notify import notify, territory_coordinators
from installations.services.timeline import Actor, actor_or_none, record
from installations.services.transitions import transition
from portal.enums import PracticeMode, Profession
from portal.models import Commune, Territory, User
from portal.validators import validate_rpps


def household_retention() -> datetime.timedelta:
    """How long household details are kept after consent: the retention rule's duration (the form and
    the territory's data page state it; portal.privacy's purge applies it)."""
    return datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS["installations.household"])


def _reference_prefix(territory: Territory) -> str:
    letters = "".join(ch for ch in territory.slug.upper() if ch.isalnum())
    return (letters[:3] or "GUS").ljust(3, "X")


def _next_reference(territory: Territory, now: datetime.datetime) -> str:
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


def _clean_submission(
    *,
    territory: Territory,
    profession: str,
    current_situation: str,
    rpps: str,
    practice_mode: str,
    structure_type: str,
    target_communes: Iterable[Commune],
    needs: Iterable[str] | Mapping[str, str],
    household_consent: bool,
    spouse_profession: str,
    children_ages: Iterable[int],
) -> tuple[dict[str, str], list[Commune], list[int]]:
    errors: dict[str, list[str]] = {}
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
        errors["needs"] = [_("Cochez au moins un besoin pour lequel vous souhaitez un accompagnement.")]
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
        household_retention_until=(now + household_retention()).date() if keep_household else None,
        spouse_profession=spouse_profession.strip() if keep_household else "",
        children_ages=ages if keep_household else [],
        possible_duplicate_of=_open_case_of_same_person(territory, email=email, person=person, rpps=rpps),
    )
    if communes:
        case.target_communes.set(communes)
    Need.objects.bulk_create(
        [
            Need(territory=territory, case=case, kind=kind, details=(details or "").strip())
            for kind, details in need_map.items()
        ]
    )
    record(
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


def _open_case_of_same_person(territory: Territory, *, email: str, person: User | None, rpps: str) -> Case | None:
    """The earliest request of the same person still open (awaiting confirmation included) in this
    territory, and only there: same account, e-mail or RPPS. A flag for the coordinator, who decides;
    the applicant is never refused (a second project, a correction, a lost confirmation link)."""
    same_person = Q(applicant_email__iexact=email)
    if person is not None:
        same_person |= Q(applicant_id=person.pk)
    if rpps:
        same_person |= Q(rpps=rpps)
    return (
        Case.objects.for_territory(territory)
        .filter(same_person, erased_at__isnull=True)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("submitted_at", "pk")
        .only("pk", "territory")
        .first()
    )


def _notify_new_case(case: Case, *, actor: Actor) -> None:
    needs = case.needs.count()
    notify(
        territory=case.territory,
        recipients=territory_coordinators(case.territory),
        kind="installations.case_new",
        subject=_("Nouvelle demande d'accompagnement %(reference)s") % {"reference": case.reference},
        body=ngettext(
            "%(profession)s — %(needs)s besoin. À prendre en charge.",
            "%(profession)s — %(needs)s besoins. À prendre en charge.",
            needs,
        )
        % {"profession": case.get_profession_display(), "needs": needs},
        url=admin_case_url(case),
        actor=actor_or_none(actor),
    )


def _case_from_token(token: str, cases: QuerySet[Case]) -> Case:
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Ce lien de confirmation a expiré. Déposez à nouveau votre demande."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid") from error
    case = cases.filter(pk=data.get("c"), confirmation_nonce=data.get("n")).first()
    if case is None or case.erased_at:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid")
    return case


def case_for_confirmation(*, token: str) -> Case:
    """The case a confirmation link names, read only: opening the link (a mail client's link
    scanner does) shows a button; only `case_confirm_email`, behind that button, confirms. Raises
    the same ValidationError as `case_confirm_email` for an expired or invalid link."""
    return _case_from_token(token, Case.objects.all())


@transaction.atomic
def case_confirm_email(*, token: str, actor: User | None = None) -> Case:
    """The applicant pressed the button of the confirmation link. Idempotent: a second press changes
    nothing. A signed-in actor with the same e-mail gets the case linked to their account."""
    case = _case_from_token(token, Case.objects.select_for_update())
    if case.confirmed_at is None:
        now = timezone.now()
        case.confirmed_at = now
        case.awaiting_reply_since = now
        case.save(update_fields=["confirmed_at", "awaiting_reply_since"])
        record(case, actor=actor, kind=EventKind.EMAIL_CONFIRMED, summary=_("Adresse e-mail confirmée"), public=True)
        if case.status == CaseStatus.UNCONFIRMED:
            transition(case, actor=actor, to=CaseStatus.SUBMITTED, notify_applicant=False)
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
    case.save(update_fields=["applicant"])
    applicant_news_withdraw(case)
    record(case, actor=user, kind=EventKind.APPLICANT_LINKED, summary=_("Demande rattachée au compte"), public=True)


def cases_claim(*, actor: User) -> list[Case]:
    """After signing in, confirmed cases submitted anonymously with the person's verified e-mail
    address join their personal space. Called at each visit of the applicant's case list: the
    rows are locked (in a transaction) only when there is one to claim."""
    from allauth.account.models import EmailAddress

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    # One query at each visit: the verified addresses are read inside the check (lower-cased, as
    # `applicant_email` is compared).
    verified = EmailAddress.objects.filter(user=actor, verified=True).values(address=Lower("email"))
    claimable = Case.objects.filter(
        applicant__isnull=True, confirmed_at__isnull=False, erased_at__isnull=True, applicant_email__in=verified
    )
    if not claimable.exists():
        return []
    with transaction.atomic():
        cases = list(claimable.select_for_update())
        for case in cases:
            _link_applicant(case, actor)
    return cases
