"""The bodies' composition: mandates (members and substitutes, by college), with no overlapping seat."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from governance import selectors
from governance.enums import Position
from governance.models import Body, College, Mandate
from governance.services.common import lock_body, record_event, require_editor, same_territory
from portal.models import Organisation, User


def check_mandate(mandate: Mandate) -> None:
    """Field errors of a mandate: dates in order and no overlapping mandate for the same seat."""
    errors = {}
    if mandate.end_date and mandate.start_date and mandate.end_date < mandate.start_date:
        errors["end_date"] = _("La fin du mandat ne peut pas précéder son début.")
    if not (mandate.user_id or mandate.organisation_id or mandate.person_name):
        errors["user"] = _("Indiquez la personne, ou l'organisation représentée.")
    if mandate.college is not None and mandate.body_id and mandate.college.body_id != mandate.body_id:
        errors["college"] = _("Ce collège appartient à une autre instance.")
    if not errors and mandate.start_date:
        overlapping = selectors.overlapping_mandates(
            territory=mandate.territory,
            body_id=mandate.body_id,
            user_id=mandate.user_id,
            organisation_id=mandate.organisation_id,
            substitute=mandate.position == Position.SUBSTITUTE,
            start=mandate.start_date,
            end=mandate.end_date,
            exclude_pk=mandate.pk,
        ).first()
        if overlapping is not None:
            end = (
                _("au %(date)s") % {"date": formats.date_format(overlapping.end_date, "d/m/Y")}
                if overlapping.end_date
                else _("sans date de fin")
            )
            errors["start_date"] = _(
                "Ce siège est déjà occupé sur ces dates : un mandat court du %(start)s %(end)s. "
                "Terminez-le avant d'en ouvrir un nouveau."
            ) % {"start": formats.date_format(overlapping.start_date, "d/m/Y"), "end": end}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mandate_add(
    *,
    actor: User,
    body: Body,
    category: str,
    start_date: date,
    position: str = Position.MEMBER,
    college: College | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    person_name: str = "",
    is_voting: bool = True,
    end_date: date | None = None,
) -> Mandate:
    require_editor(actor, body.territory)
    same_territory(body.territory, college, organisation)
    body = lock_body(body)
    mandate = Mandate(
        territory=body.territory,
        body=body,
        college=college,
        user=user,
        organisation=organisation,
        person_name=person_name,
        category=category,
        position=position,
        is_voting=is_voting and position != Position.SUBSTITUTE,
        start_date=start_date,
        end_date=end_date,
    )
    check_mandate(mandate)
    mandate.full_clean()
    mandate.save()
    record_event(territory=body.territory, actor=actor, verb="mandate_add", target=mandate)
    return mandate


@transaction.atomic
def mandate_save(*, actor: User, mandate: Mandate) -> Mandate:
    """Create or change a mandate built by a form (the admin), with the same checks as mandate_add."""
    require_editor(actor, mandate.territory)
    lock_body(mandate.body)
    check_mandate(mandate)
    created = mandate.pk is None
    mandate.save()
    record_event(
        territory=mandate.territory, actor=actor, verb="mandate_add" if created else "mandate_change", target=mandate
    )
    return mandate
